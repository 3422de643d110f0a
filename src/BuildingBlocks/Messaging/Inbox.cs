using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Send.BuildingBlocks.Data;

namespace Send.BuildingBlocks.Messaging;

/// <summary>
/// Consumer-side idempotency. A handler calls <see cref="TryBeginAsync"/> inside the transaction
/// that applies the event's effect: the first delivery inserts (consumer, event id) and goes on;
/// a redelivery finds the row and skips. Because the mark and the effect commit together, a crash
/// between them leaves neither, and the next delivery applies the effect exactly once.
/// </summary>
public static class Inbox
{
    /// <returns>True the first time this consumer sees the event; false for a duplicate.</returns>
    public static async Task<bool> TryBeginAsync(this DbContext db, string consumer, string eventId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Mark an event processed inside the transaction that applies its effect.");
        }

        // ON CONFLICT DO NOTHING also settles two concurrent deliveries: the second waits for the
        // first's transaction and then inserts nothing.
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ({consumer}, {eventId}, {now})
            ON CONFLICT (consumer, event_id) DO NOTHING
            """, cancellationToken);
        return inserted == 1;
    }

    /// <summary>
    /// <see cref="TryBeginAsync"/> for a bulk delivery: marks every id with one statement instead
    /// of a round trip each, and returns the ids seen for the first time (an id given twice counts once).
    /// </summary>
    public static async Task<IReadOnlySet<string>> TryBeginManyAsync(this DbContext db, string consumer, IEnumerable<string> eventIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Mark events processed inside the transaction that applies their effect.");
        }

        // In one order for every caller: two batches sharing ids then lock them in the same
        // order and wait for each other instead of deadlocking.
        var ids = eventIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return new HashSet<string>();
        }

        var fresh = await db.Database.SqlQueryRaw<string>("""
            INSERT INTO processed_events (consumer, event_id, processed_at)
            SELECT @consumer, id, @now FROM unnest(@ids) AS e(id)
            ON CONFLICT (consumer, event_id) DO NOTHING
            RETURNING event_id AS "Value"
            """,
            new NpgsqlParameter("consumer", consumer), new NpgsqlParameter("now", now),
            SqlArrays.Parameter("ids", ids, NpgsqlDbType.Text)).ToListAsync(cancellationToken);
        return fresh.ToHashSet(StringComparer.Ordinal);
    }
}
