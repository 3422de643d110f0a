namespace Send.Contracts.Events;

/// <summary>
/// A delivery outcome reported by a provider (an SES notification, an SMTP answer), before
/// EventService has matched it to an email. <c>Kind</c> is one of: delivered, bounced,
/// complained, delivery_delayed, rejected, opened, clicked.
/// </summary>
[EventType("send.provider.event_received.v1")]
public sealed record ProviderEventReceived(
    string Provider,
    string ProviderMessageId,
    string Kind,
    string Recipient,
    DateTimeOffset OccurredAt,
    IReadOnlyDictionary<string, string>? Details = null);
