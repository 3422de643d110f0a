namespace Send.WebhookService.Model;

/// <summary>One POST of a delivery: when, what came back (status, the start of the body), how long it took, or why it failed.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; set; }
    public required string DeliveryId { get; set; }
    public DateTimeOffset At { get; set; }
    public int? StatusCode { get; set; }
    public int LatencyMs { get; set; }
    public string? Error { get; set; }
    public string? Response { get; set; }
}
