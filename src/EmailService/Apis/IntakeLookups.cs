using Microsoft.EntityFrameworkCore;
using Npgsql;
using Send.EmailService.Data;

namespace Send.EmailService.Apis;

/// <summary>What the checks of a send request read from the database.</summary>
public sealed record IntakeFacts(
    IReadOnlyDictionary<string, (string Id, string Status)> Domains, IReadOnlySet<string> Suppressed, string? PauseReason);

/// <summary>
/// Reads the organization's sending domains (name, id and status only), which of the request's
/// recipients are suppressed, and whether its sending is paused, in one round trip. This runs for
/// every send, so it is plain SQL in one batch rather than three LINQ queries: those cost more
/// CPU to translate than PostgreSQL spends answering them.
/// </summary>
public static class IntakeLookups
{
    public static Task<IntakeFacts> LoadAsync(
        EmailDbContext db, string organizationId, IReadOnlyCollection<string> recipients, bool readPause, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            await db.Database.OpenConnectionAsync(token);
            try
            {
                var connection = (NpgsqlConnection)db.Database.GetDbConnection();
                await using var batch = new NpgsqlBatch(connection)
                {
                    BatchCommands =
                    {
                        new("SELECT name, id, status FROM domains WHERE organization_id = $1") { Parameters = { new() { Value = organizationId } } },
                        new("SELECT email FROM suppressions WHERE organization_id = $1 AND email = ANY($2) AND (keep_until IS NULL OR keep_until > $3)")
                        {
                            Parameters = { new() { Value = organizationId }, new() { Value = recipients.ToArray() }, new() { Value = now } },
                        },
                        new("SELECT reason FROM sending_pauses WHERE organization_id = $1 AND paused AND $2") { Parameters = { new() { Value = organizationId }, new() { Value = readPause } } },
                    },
                };
                await using var reader = await batch.ExecuteReaderAsync(token);
                var domains = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
                while (await reader.ReadAsync(token))
                {
                    domains[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
                }

                await reader.NextResultAsync(token);
                var suppressed = new HashSet<string>(StringComparer.Ordinal);
                while (await reader.ReadAsync(token))
                {
                    suppressed.Add(reader.GetString(0));
                }

                await reader.NextResultAsync(token);
                string? pauseReason = null;
                if (await reader.ReadAsync(token))
                {
                    pauseReason = reader.IsDBNull(0) ? "" : reader.GetString(0);
                }

                return new IntakeFacts(domains, suppressed, pauseReason);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }, cancellationToken);
}
