using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Data;
using Send.WebhookService.Data;
using Send.WebhookService.Model;

namespace Send.WebhookService.Services;

/// <summary>A claimed delivery with what sending it needs.</summary>
public sealed record ClaimedDelivery(string Id, string EndpointId, string Url, string Payload, int Attempts, List<string> Secrets);

/// <summary>
/// Claims due deliveries for this replica. The claim marks them <c>sending</c> with a lease
/// (<see cref="WebhookOptions.ClaimTimeout"/>) and commits before any request is made, so a
/// crashed worker's deliveries are taken again when the lease lapses, and nothing is lost.
/// Each enabled endpoint gets at most its free slots (the limit minus its attempts in flight),
/// its earliest due deliveries first, so one endpoint's backlog never hides another's
/// deliveries; every probe is one index range on (endpoint, next attempt). Rows are locked FOR
/// UPDATE SKIP LOCKED (a delivery being settled is skipped), and claims take one advisory
/// lock, so replicas claim one after another and the per-endpoint limit counts every replica's
/// attempts in flight exactly. A claim is one statement.
/// </summary>
public sealed class DeliveryClaims(WebhooksDbContext db, SecretOpener secrets, IOptions<WebhookOptions> options, TimeProvider clock)
{
    /// <summary>Any constant, the same in every replica: the key of the claim lock.</summary>
    private const long ClaimLock = 0x5e4d_00_0b;

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var ids = await db.InTransactionAsync(async token =>
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(@p0)", [ClaimLock], token);
            return await db.Database.SqlQueryRaw<string>("""
                -- "status IN (…)" is repeated where it is implied, so the planner sees the partial index applies.
                WITH capacity AS (
                    SELECT w.id, @p2 - (SELECT count(*) FROM webhook_deliveries s
                                        WHERE s.endpoint_id = w.id AND s.status IN ('pending', 'sending') AND s.status = 'sending' AND s.next_attempt_at > @p0) AS free
                    FROM webhook_endpoints w WHERE w.status = 'enabled'
                ), due AS (
                    SELECT d.id, d.next_attempt_at FROM capacity c
                    CROSS JOIN LATERAL (
                        SELECT d.id, d.next_attempt_at FROM webhook_deliveries d
                        WHERE d.endpoint_id = c.id AND d.status IN ('pending', 'sending') AND d.next_attempt_at <= @p0
                        ORDER BY d.next_attempt_at LIMIT c.free
                    ) d
                    WHERE c.free > 0
                    ORDER BY d.next_attempt_at LIMIT @p1
                ), chosen AS (
                    SELECT id FROM webhook_deliveries WHERE id IN (SELECT id FROM due) FOR UPDATE SKIP LOCKED
                )
                UPDATE webhook_deliveries d SET status = 'sending', next_attempt_at = @p3
                FROM chosen WHERE d.id = chosen.id
                RETURNING d.id AS "Value"
                """, now, max, settings.ConcurrencyPerEndpoint, now + settings.ClaimTimeout).ToListAsync(token);
        }, cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await db.Deliveries.AsNoTracking().Where(d => ids.Contains(d.Id))
            .Join(db.Endpoints, d => d.EndpointId, w => w.Id, (d, w) => new { d.Id, d.EndpointId, w.Url, d.Payload, d.Attempts, w.SigningSecret, w.PreviousSigningSecret, w.PreviousSecretUntil })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ClaimedDelivery(r.Id, r.EndpointId, r.Url, r.Payload, r.Attempts,
            secrets.Signing(r.EndpointId, r.SigningSecret, r.PreviousSigningSecret, r.PreviousSecretUntil, now)))];
    }
}
