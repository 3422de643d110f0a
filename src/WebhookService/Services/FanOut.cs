using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
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

    /// <summary>Rows per INSERT: the arrays are parameters, so this only bounds one statement's work and memory.</summary>
    private const int RowsPerInsert = 2000;

    public async Task<int> AddAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var added = await db.InTransactionAsync(async token =>
        {
            // An event twice in one bulk is fanned out once.
            var firstSeen = await db.TryBeginManyAsync(Consumer, batch.Select(e => e.EventId), now, token);
            var fresh = batch.Where(e => firstSeen.Contains(e.EventId)).DistinctBy(e => e.EventId, StringComparer.Ordinal).ToList();

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

    private async Task<int> InsertAsync((string EndpointId, OutgoingEvent Event)[] rows, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO webhook_deliveries (id, endpoint_id, organization_id, event_id, type, payload, status, attempts, next_attempt_at, created_at)
            SELECT id, endpoint_id, organization_id, event_id, type, payload, @status, 0, @now, @now
            FROM unnest(@ids, @endpoints, @organizations, @events, @types, @payloads) AS d(id, endpoint_id, organization_id, event_id, type, payload)
            ON CONFLICT (endpoint_id, event_id) DO NOTHING
            """,
            [new NpgsqlParameter("status", DeliveryStatus.Pending), new NpgsqlParameter("now", now),
             Texts("ids", rows.Select(_ => Ids.New("msg"))), Texts("endpoints", rows.Select(r => r.EndpointId)),
             Texts("organizations", rows.Select(r => r.Event.OrganizationId)), Texts("events", rows.Select(r => r.Event.EventId)),
             Texts("types", rows.Select(r => r.Event.Type)), Texts("payloads", rows.Select(r => r.Event.Payload))],
            cancellationToken);

    private static NpgsqlParameter Texts(string name, IEnumerable<string> values) => SqlArrays.Parameter(name, values, NpgsqlDbType.Text);
}
