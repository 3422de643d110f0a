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
/// Rows are locked FOR UPDATE SKIP LOCKED (a delivery being settled is skipped), and claims
/// take one advisory lock, so replicas claim one after another and the per-endpoint limit
/// counts every replica's attempts in flight exactly. A claim is one short statement.
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
                WITH due AS (
                    SELECT d.id, d.endpoint_id, d.next_attempt_at FROM webhook_deliveries d
                    JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.status = 'enabled'
                    WHERE d.status IN ('pending', 'sending') AND d.next_attempt_at <= @p0
                    ORDER BY d.next_attempt_at LIMIT @p1
                    FOR UPDATE OF d SKIP LOCKED
                ), in_flight AS (
                    SELECT endpoint_id, count(*) AS n FROM webhook_deliveries
                    WHERE status = 'sending' AND next_attempt_at > @p0 GROUP BY endpoint_id
                ), ranked AS (
                    SELECT due.id, due.next_attempt_at, row_number() OVER (PARTITION BY due.endpoint_id ORDER BY due.next_attempt_at, due.id) + coalesce(f.n, 0) AS slot
                    FROM due LEFT JOIN in_flight f ON f.endpoint_id = due.endpoint_id
                ), chosen AS (
                    SELECT id FROM ranked WHERE slot <= @p2 ORDER BY next_attempt_at LIMIT @p3
                )
                UPDATE webhook_deliveries d SET status = 'sending', next_attempt_at = @p4
                FROM chosen WHERE d.id = chosen.id
                RETURNING d.id AS "Value"
                """, now, max * 4, settings.ConcurrencyPerEndpoint, max, now + settings.ClaimTimeout).ToListAsync(token);
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
