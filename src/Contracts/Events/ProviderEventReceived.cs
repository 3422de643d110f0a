namespace Send.Contracts.Events;

/// <summary>
/// A delivery outcome reported by a provider (an SES notification, a Resend webhook, an SMTP
/// delivery status notification, the sandbox simulator), normalized by whoever received it.
/// EmailService, which owns emails, applies it to its email: timeline, <c>last_event</c>,
/// suppressions, and the public <c>email.*</c> event.
/// </summary>
/// <param name="Provider">ses, resend, smtp or sandbox.</param>
/// <param name="ProviderMessageId">The provider's id of the sent message (how an event is matched when <paramref name="EmailId"/> is unknown).</param>
/// <param name="Kind">
/// delivered, bounced, complained, delivery_delayed, rejected (the provider refused to send),
/// failed (the provider could not render or send), opened, clicked.
/// </param>
/// <param name="Recipient">The one recipient the event is about (a multi-recipient bounce is one event per recipient).</param>
/// <param name="Details">
/// Kind-specific, snake_case keys: <c>bounce_type</c> (Permanent, Transient, Undetermined),
/// <c>bounce_subtype</c>, <c>diagnostic_code</c>, <c>status</c> (the enhanced status code, e.g. 5.1.1),
/// <c>complaint_feedback_type</c>, <c>delay_type</c>, <c>reason</c>, <c>link</c>, <c>user_agent</c>,
/// <c>ip_address</c>.
/// </param>
/// <param name="EmailId">Send's email id when the provider echoed it back (SES and Resend tags, VERP return path).</param>
/// <param name="ProviderEventId">
/// The provider's own id of this event (SNS MessageId, svix-id…), with the recipient when one
/// notification covers several: a duplicate of the same provider event is applied once.
/// </param>
[EventType("send.provider.event_received.v1")]
public sealed record ProviderEventReceived(
    string Provider,
    string ProviderMessageId,
    string Kind,
    string Recipient,
    DateTimeOffset OccurredAt,
    IReadOnlyDictionary<string, string>? Details = null,
    string? EmailId = null,
    string? ProviderEventId = null);

/// <summary>The kinds of <see cref="ProviderEventReceived"/>.</summary>
public static class ProviderEventKinds
{
    public const string Delivered = "delivered";
    public const string Bounced = "bounced";
    public const string Complained = "complained";
    public const string DeliveryDelayed = "delivery_delayed";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
    public const string Opened = "opened";
    public const string Clicked = "clicked";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Delivered, Bounced, Complained, DeliveryDelayed, Rejected, Failed, Opened, Clicked,
    };
}
