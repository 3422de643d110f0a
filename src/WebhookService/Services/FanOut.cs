using System.Text;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Messaging;
using Send.WebhookService.Data;
using Send.WebhookService.Model;

namespace Send.WebhookService.Services;

/// <summary>One public event, already in Resend's shape, for an organization's endpoints.</summary>
public sealed record OutgoingEvent(string EventId, string OrganizationId, string Type, string Payload);

/// <summary>
/// Turns events into deliveries: one per enabled endpoint of the event's organization whose
/// filter matches, inserted in the transaction that marks the events processed. The insert is
/// also ON CONFLICT DO NOTHING on (endpoint, event), so however an event is redelivered each
/// endpoint gets it once. The worker sends them; nothing here touches the network.
/// </summary>
public sealed class FanOut(WebhooksDbContext db, DeliveryWakeUp wakeUp, TimeProvider clock)
{
    public const string Consumer = "webhooks";

    /// <summary>Rows per INSERT: 9 parameters each stays far below PostgreSQL's 65,535.</summary>
    private const int RowsPerInsert = 500;

    public async Task<int> AddAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var added = await db.InTransactionAsync(async token =>
        {
            var fresh = new List<OutgoingEvent>();
            foreach (var received in batch)
            {
                if (await db.TryBeginAsync(Consumer, received.EventId, now, token))
                {
                    fresh.Add(received);
                }
            }

            var organizations = fresh.Select(e => e.OrganizationId).Distinct().ToList();
            var endpoints = organizations.Count == 0 ? [] : await db.Endpoints.AsNoTracking()
                .Where(w => organizations.Contains(w.OrganizationId) && w.Status == WebhookStatus.Enabled)
                .Select(w => new { w.Id, w.OrganizationId, w.Events }).ToListAsync(token);
            var rows = (from e in fresh
                        from w in endpoints
                        where w.OrganizationId == e.OrganizationId && WebhookEventTypes.Matches(w.Events, e.Type)
                        select (EndpointId: w.Id, Event: e)).ToList();
            var inserted = 0;
            foreach (var chunk in rows.Chunk(RowsPerInsert))
            {
                inserted += await InsertAsync(chunk, now, token);
            }

            return inserted;
        }, cancellationToken);
        if (added > 0)
        {
            wakeUp.Wake();
        }

        return added;
    }

    private async Task<int> InsertAsync((string EndpointId, OutgoingEvent Event)[] rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("""
            INSERT INTO webhook_deliveries (id, endpoint_id, organization_id, event_id, type, payload, status, attempts, next_attempt_at, created_at) VALUES
            """);
        var parameters = new List<object>();
        for (var i = 0; i < rows.Length; i++)
        {
            var p = i * 8;
            sql.Append(i == 0 ? "\n" : ",\n").Append(System.Globalization.CultureInfo.InvariantCulture,
                $"(@p{p}, @p{p + 1}, @p{p + 2}, @p{p + 3}, @p{p + 4}, @p{p + 5}, @p{p + 6}, 0, @p{p + 7}, @p{p + 7})");
            var (endpointId, e) = rows[i];
            parameters.AddRange([Ids.New("msg"), endpointId, e.OrganizationId, e.EventId, e.Type, e.Payload, DeliveryStatus.Pending, now]);
        }

        sql.Append("\nON CONFLICT (endpoint_id, event_id) DO NOTHING");
        return await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
    }
}
