namespace Send.Contracts.Events;

/// <summary>
/// An organization's sending was paused by its reputation policy, or reinstated by an operator.
/// EventService decides; EmailService enforces (<c>403 sending_paused</c>). The latest
/// <paramref name="OccurredAt"/> wins, so a late or repeated delivery cannot undo a newer decision.
/// </summary>
/// <param name="Reason">For people: the finding that paused it (kind, rate, threshold, window) or who reinstated it.</param>
/// <param name="Finding">The finding's id when a finding paused it.</param>
[EventType("send.organization.sending_changed.v1")]
public sealed record OrganizationSendingChanged(
    string OrganizationId,
    bool Paused,
    string Reason,
    DateTimeOffset OccurredAt,
    string? Finding = null);
