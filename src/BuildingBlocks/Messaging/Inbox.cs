using Microsoft.EntityFrameworkCore;

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
}
