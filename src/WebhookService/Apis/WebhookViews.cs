using System.Text.Json.Serialization;
using Send.WebhookService.Model;

namespace Send.WebhookService.Apis;

public sealed record WebhookRequest(string? Endpoint, string? Url, List<string?>? Events, string? Status);

/// <summary>An endpoint as the API shows it; <c>signing_secret</c> only in the answers that create or rotate it.</summary>
public sealed record WebhookView(
    [property: JsonPropertyName("object")] string Kind, string Id, string Endpoint, IReadOnlyList<string> Events, string Status,
    DateTimeOffset CreatedAt, WebhookHealth Health,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SigningSecret = null)
{
    public static WebhookView Of(WebhookEndpoint w, string? secret = null) => new("webhook", w.Id, w.Url, w.Events.Count == 0 ? [WebhookEventTypes.All] : w.Events, w.Status,
        w.CreatedAt, new WebhookHealth(w.ConsecutiveFailures, w.FailingSince, w.LastDeliveredAt, w.LastFailedAt, w.DisabledReason, w.DisabledAt), secret);
}

public sealed record WebhookHealth(int ConsecutiveFailures, DateTimeOffset? FailingSince, DateTimeOffset? LastDeliveredAt, DateTimeOffset? LastFailedAt, string? DisabledReason, DateTimeOffset? DisabledAt);

public sealed record WebhookDeleted([property: JsonPropertyName("object")] string Kind, string Id, bool Deleted);

public sealed record DeliveryView(
    [property: JsonPropertyName("object")] string Kind, string Id, string WebhookId, string EventId, string Type, string Status, int Attempts,
    DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, IReadOnlyList<AttemptView> AttemptLog)
{
    public static DeliveryView Of(WebhookDelivery d) => new("webhook_delivery", d.Id, d.EndpointId, d.EventId, d.Type, d.Status, d.Attempts,
        d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.CreatedAt, d.DeliveredAt,
        [.. d.AttemptLog.OrderBy(a => a.At).Select(a => new AttemptView(a.At, a.StatusCode, a.LatencyMs, a.Error, a.Response))]);
}

public sealed record AttemptView(DateTimeOffset At, int? StatusCode, int LatencyMs, string? Error, string? Response);

/// <summary>The newest entries of an endpoint's history (changes are rare: a fixed page is enough).</summary>
public sealed record WebhookHistory([property: JsonPropertyName("object")] string Kind, IReadOnlyList<WebhookHistoryEntry> Data)
{
    public const int Limit = 100;
}

public sealed record WebhookHistoryEntry([property: JsonPropertyName("object")] string Kind, string Type, bool Automatic, string Reason, DateTimeOffset CreatedAt);
