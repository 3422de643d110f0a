using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.WebhookService.Data;
using Send.WebhookService.Model;

namespace Send.WebhookService.Services;

/// <summary>
/// An endpoint disabled or enabled leaves an entry in its history and a
/// <see cref="WebhookStatusChanged"/> in the outbox, added to the caller's unit of work: stored by
/// the same SaveChanges as the change itself, so one is never there without the other.
/// </summary>
public static class StatusChanges
{
    public const string Disabled = "webhook.disabled";
    public const string Enabled = "webhook.enabled";

    public static void Record(WebhooksDbContext db, string organizationId, string endpointId, string type, bool automatic, string reason, DateTimeOffset now)
    {
        db.EndpointEvents.Add(new WebhookEndpointEvent { EndpointId = endpointId, Type = type, Automatic = automatic, Reason = reason, At = now });
        db.Enqueue(Topics.WebhookEvents, new WebhookStatusChanged(organizationId, endpointId, type, automatic, reason, now), now);
    }
}
