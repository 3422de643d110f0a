namespace Send.Contracts.Events;

/// <summary>
/// A webhook endpoint was disabled (by Send: 410 Gone or a long run of failures; or through the
/// API) or enabled again: <c>webhook.disabled</c>, <c>webhook.enabled</c>. WebhookService
/// publishes it through its outbox on <c>webhook-events</c>, for alerting and the dashboard.
/// </summary>
/// <param name="Automatic">True when Send disabled the endpoint itself; false when a person changed it.</param>
/// <param name="Reason">For people: why (the 410, the run of failures and its last error), or who changed it.</param>
[EventType("send.webhook.status_changed.v1")]
public sealed record WebhookStatusChanged(
    string OrganizationId,
    string WebhookId,
    string Event,
    bool Automatic,
    string Reason,
    DateTimeOffset OccurredAt);
