using System.Text.Json;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// One entry of an app's <c>/dapr/subscribe</c> answer: which topic of which pub/sub component
/// is delivered to which route, and where messages go that cannot be delivered.
/// </summary>
public sealed record Subscription(
    string PubSubName,
    string Topic,
    string Route,
    string? DeadLetterTopic,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Set when the app takes this topic in bulk (Dapr's bulk subscribe): up to this many events per request.</summary>
    public int? BulkMaxMessages { get; init; }

    /// <summary>
    /// Dapr's <c>maxAwaitDurationMs</c> for a bulk subscription (its default, 1 s, when not
    /// given): the longest the transport may hold back a delivery to gather a fuller chunk.
    /// </summary>
    public TimeSpan BulkMaxAwait { get; init; } = DefaultBulkMaxAwait;

    public static readonly TimeSpan DefaultBulkMaxAwait = TimeSpan.FromSeconds(1);

    /// <summary>Subscription metadata key the local transport reads: <c>high</c> topics are drained first.</summary>
    public const string PriorityMetadataKey = "priority";

    public bool IsHighPriority => Metadata.TryGetValue(PriorityMetadataKey, out var value) && value == "high";

    /// <summary>
    /// Parses the documented JSON: <c>[{"pubsubname","topic","route"|"routes":{"default"},"deadLetterTopic","metadata","bulkSubscribe"}]</c>
    /// (property names compared case-insensitively, as daprd does).
    /// </summary>
    public static IReadOnlyList<Subscription> ParseAll(string json)
    {
        using var document = JsonDocument.Parse(json);
        var subscriptions = new List<Subscription>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var route = Property(element, "route")?.GetString()
                ?? (Property(element, "routes") is { } routes ? Property(routes, "default")?.GetString() : null);
            var metadata = Property(element, "metadata") is { ValueKind: JsonValueKind.Object } meta
                ? meta.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
                : [];
            var bulk = Property(element, "bulksubscribe");
            var bulkEnabled = bulk is { ValueKind: JsonValueKind.Object } && Property(bulk.Value, "enabled") is { ValueKind: JsonValueKind.True };
            subscriptions.Add(new Subscription(
                Property(element, "pubsubname")?.GetString() ?? throw new FormatException("A subscription has no pubsubname."),
                Property(element, "topic")?.GetString() ?? throw new FormatException("A subscription has no topic."),
                "/" + (route ?? throw new FormatException("A subscription has no route.")).TrimStart('/'),
                Property(element, "deadlettertopic")?.GetString() is { Length: > 0 } deadLetter ? deadLetter : null,
                metadata)
            {
                BulkMaxMessages = bulkEnabled
                    ? Property(bulk!.Value, "maxmessagescount") is { ValueKind: JsonValueKind.Number } max && max.GetInt32() > 0 ? max.GetInt32() : 100
                    : null,
                BulkMaxAwait = bulkEnabled && Property(bulk!.Value, "maxawaitdurationms") is { ValueKind: JsonValueKind.Number } wait && wait.GetInt32() >= 0
                    ? TimeSpan.FromMilliseconds(wait.GetInt32())
                    : DefaultBulkMaxAwait,
            });
        }

        return subscriptions;
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
