using System.Text.Json;
using System.Text.Json.Serialization;

namespace Send.BuildingBlocks.Messaging;

/// <summary>
/// A CloudEvents 1.0 envelope in structured JSON mode, as Dapr's sidecar wraps published data
/// and as the local transport stores it. <c>id</c> is the outbox row's id, stable across
/// republishing, which is what makes consumers' de-duplication work.
/// </summary>
public sealed record CloudEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("data")] JsonElement Data,
    [property: JsonPropertyName("topic")] string Topic)
{
    public const string ContentType = "application/cloudevents+json";

    [JsonPropertyName("specversion")] public string SpecVersion { get; init; } = "1.0";

    [JsonPropertyName("datacontenttype")] public string DataContentType { get; init; } = "application/json";

    [JsonPropertyName("traceparent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }
}
