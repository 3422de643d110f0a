namespace Send.Contracts.Events;

/// <summary>
/// A sending domain was created, verified, changed (a record broke or was fixed) or deleted:
/// <c>domain.created</c>, <c>domain.verified</c>, <c>domain.updated</c>, <c>domain.deleted</c>,
/// as Resend names these webhook events.
/// </summary>
[EventType("send.domain.lifecycle.v1")]
public sealed record DomainLifecycleEvent(
    string OrganizationId,
    string DomainId,
    string Event,
    DateTimeOffset OccurredAt,
    string Name,
    string Status,
    IReadOnlyList<DomainRecordStatus> Records);

/// <summary>One DNS record of the domain and its state at the time of the event.</summary>
public sealed record DomainRecordStatus(string Record, string Name, string Type, string Status);
