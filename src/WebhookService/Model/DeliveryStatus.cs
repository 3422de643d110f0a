namespace Send.WebhookService.Model;

public static class DeliveryStatus
{
    public const string Pending = "pending";

    /// <summary>Claimed by a worker, an attempt in flight.</summary>
    public const string Sending = "sending";
    public const string Delivered = "delivered";

    /// <summary>Every attempt of the retry schedule failed.</summary>
    public const string Failed = "failed";
}
