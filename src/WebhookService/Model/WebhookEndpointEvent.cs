namespace Send.WebhookService.Model;

/// <summary>
/// One entry of an endpoint's history (<c>webhook.disabled</c>, <c>webhook.enabled</c>):
/// append-only, so why an endpoint stopped receiving stays readable after it is enabled again.
/// </summary>
public sealed class WebhookEndpointEvent
{
    public long Id { get; set; }
    public required string EndpointId { get; set; }
    public required string Type { get; set; }

    /// <summary>True when Send changed the endpoint itself (410 Gone, a run of failures).</summary>
    public bool Automatic { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset At { get; set; }
}
