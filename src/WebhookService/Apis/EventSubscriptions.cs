using Send.BuildingBlocks.Messaging.Subscribing;
using Send.Contracts;
using Send.Contracts.Events;
using Send.WebhookService.Services;

namespace Send.WebhookService.Apis;

/// <summary>The public email and domain events, in bulk, turned into deliveries (one transaction per bulk: stored whole or retried whole).</summary>
public static class EventSubscriptions
{
    public static IEndpointRouteBuilder MapEventSubscriptions(this IEndpointRouteBuilder app, MessagingApp messagingApp)
    {
        app.MapPost("/events/email-events", (BulkDelivery bulk, FanOut fanOut, CancellationToken cancellationToken) =>
            AddAsync(bulk, fanOut, Email, cancellationToken))
            .WithBulkSubscription(messagingApp, Topics.EmailEvents);
        app.MapPost("/events/domain-events", (BulkDelivery bulk, FanOut fanOut, CancellationToken cancellationToken) =>
            AddAsync(bulk, fanOut, Domain, cancellationToken))
            .WithBulkSubscription(messagingApp, Topics.DomainEvents);
        return app;
    }

    private static OutgoingEvent Email(BulkDeliveryEntry entry)
    {
        var e = entry.Data<EmailLifecycleEvent>();
        return new OutgoingEvent(entry.EventId, e.OrganizationId, e.Event, WebhookPayloads.Email(e));
    }

    private static OutgoingEvent Domain(BulkDeliveryEntry entry)
    {
        var e = entry.Data<DomainLifecycleEvent>();
        return new OutgoingEvent(entry.EventId, e.OrganizationId, e.Event, WebhookPayloads.Domain(e));
    }

    private static async Task<IResult> AddAsync(BulkDelivery bulk, FanOut fanOut, Func<BulkDeliveryEntry, OutgoingEvent> map, CancellationToken cancellationToken)
    {
        await fanOut.AddAsync([.. bulk.Entries.Select(map)], cancellationToken);
        var answers = new BulkAnswers();
        foreach (var entry in bulk.Entries)
        {
            answers.Success(entry);
        }

        return answers.ToResult();
    }
}
