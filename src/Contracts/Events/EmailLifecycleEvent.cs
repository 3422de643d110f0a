namespace Send.Contracts.Events;

/// <summary>
/// A step in an email's public lifecycle, named as Resend names webhook events
/// (<c>email.sent</c>, <c>email.delivered</c>, <c>email.bounced</c>…). WebhookService turns
/// these into signed webhook deliveries; EventService into analytics.
/// </summary>
[EventType("send.email.lifecycle.v1")]
public sealed record EmailLifecycleEvent(
    string OrganizationId,
    string EmailId,
    string Event,
    DateTimeOffset OccurredAt,
    string From,
    IReadOnlyList<string> To,
    string Subject,
    IReadOnlyDictionary<string, string>? Details = null);
