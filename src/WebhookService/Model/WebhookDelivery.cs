namespace Send.WebhookService.Model;

/// <summary>
/// One event for one endpoint (unique per endpoint and event id, so a redelivered event fans out
/// once). The payload is stored as the exact bytes to sign and send, so every retry sends the same body.
/// </summary>
public sealed class WebhookDelivery
{
    /// <summary><c>msg_…</c>: the <c>webhook-id</c> header, the same on every attempt, so receivers can de-duplicate.</summary>
    public required string Id { get; set; }
    public required string EndpointId { get; set; }
    public required string OrganizationId { get; set; }

    /// <summary>The CloudEvent id the delivery came from (<c>test:…</c> for a test event).</summary>
    public required string EventId { get; set; }
    public required string Type { get; set; }
    public required string Payload { get; set; }
    public string Status { get; set; } = DeliveryStatus.Pending;
    public int Attempts { get; set; }

    /// <summary>When pending: when the next attempt is due. When sending: when the claim lapses (a crashed worker's delivery is taken again).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    public List<WebhookAttempt> AttemptLog { get; set; } = [];
}
