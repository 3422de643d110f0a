using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EventService.Data;

namespace Send.EventService.Ingestion;

/// <summary>
/// Publishes what one provider callback reported, all or nothing: every event goes into the
/// outbox in one SaveChanges, so a callback that fails half-way publishes nothing and the
/// provider's retry starts clean. Duplicates (a provider retrying) are left to EmailService,
/// which applies each provider event id once.
/// </summary>
public sealed class ProviderEventOutbox(EventsDbContext db, TimeProvider clock)
{
    public async Task<int> PublishAsync(IReadOnlyList<ProviderEventReceived> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        foreach (var providerEvent in events)
        {
            db.Enqueue(Topics.ProviderEvents, providerEvent, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return events.Count;
    }
}
