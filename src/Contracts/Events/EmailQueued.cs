namespace Send.Contracts.Events;

/// <summary>
/// An accepted email is ready for the delivery worker (on <see cref="Topics.EmailSend"/> or,
/// for priority sends, <see cref="Topics.EmailSendPriority"/>). The worker loads the email
/// itself from EmailService's database, so the event stays small and carries no content.
/// </summary>
[EventType("send.email.queued.v1")]
public sealed record EmailQueued(
    string EmailId,
    string OrganizationId,
    bool Priority,
    bool Test,
    DateTimeOffset QueuedAt);
