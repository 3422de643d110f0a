using Microsoft.EntityFrameworkCore;

namespace Send.BuildingBlocks.Messaging;

public static class OutboxCleanup
{
    /// <summary>
    /// Deletes published outbox rows and processed-event marks older than the retention
    /// (which must exceed the longest redelivery window, or a late duplicate could slip through).
    /// </summary>
    public static async Task<(int Outbox, int Inbox)> DeleteOlderThanAsync(this DbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var outbox = await db.Set<OutboxMessage>()
            .Where(m => m.PublishedAt != null && m.PublishedAt < cutoff)
            .ExecuteDeleteAsync(cancellationToken);
        var inbox = await db.Set<ProcessedEvent>()
            .Where(p => p.ProcessedAt < cutoff)
            .ExecuteDeleteAsync(cancellationToken);
        return (outbox, inbox);
    }
}
