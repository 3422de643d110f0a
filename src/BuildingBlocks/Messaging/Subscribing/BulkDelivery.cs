using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Send.Contracts;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// A bulk delivery, as daprd posts it to an endpoint declared with bulk subscribe: many
/// CloudEvents in one request, each answered on its own. <see cref="BindAsync"/> reads Dapr's
/// own (camelCase) names, whatever the service's JSON style.
/// </summary>
public sealed record BulkDelivery(string Id, string Topic, string PubSubName, IReadOnlyList<BulkDeliveryEntry> Entries)
{
    public const string Type = "com.dapr.event.sent.bulk";

    /// <summary>
    /// Binds the request body with Dapr's own names rather than the service's snake_case. The
    /// body is parsed once into one pooled document that lives until the response is done; the
    /// entries' events are views into it, not a copy each (a chunk of a hundred events would
    /// otherwise be a hundred more documents to allocate and collect).
    /// </summary>
    public static async ValueTask<BulkDelivery?> BindAsync(HttpContext context, System.Reflection.ParameterInfo parameter)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException ex)
        {
            throw new BadHttpRequestException($"A bulk delivery must be JSON: {ex.Message}");
        }

        context.Response.RegisterForDispose(document);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            throw new BadHttpRequestException("A bulk delivery is an object with an \"entries\" array.");
        }

        var list = new List<BulkDeliveryEntry>(entries.GetArrayLength());
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || String(entry, "entryId") is not { } entryId
                || !entry.TryGetProperty("event", out var cloudEvent))
            {
                throw new BadHttpRequestException("Each entry of a bulk delivery needs an \"entryId\" and an \"event\".");
            }

            list.Add(new BulkDeliveryEntry(entryId, cloudEvent, String(entry, "contentType")));
        }

        return new BulkDelivery(String(root, "id") ?? "", String(root, "topic") ?? "", String(root, "pubsubname") ?? "", list);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>One event of a bulk delivery. Its <see cref="Event"/> is valid for the request only.</summary>
public sealed record BulkDeliveryEntry(string EntryId, JsonElement Event, string? ContentType)
{
    /// <summary>The CloudEvent's id: what consumers de-duplicate on.</summary>
    public string EventId => Event.GetProperty("id").GetString() ?? EntryId;

    /// <summary>The CloudEvent's data in the contracts' wire format.</summary>
    public T Data<T>() => Event.GetProperty("data").Deserialize<T>(EventJson.Options)
        ?? throw new JsonException($"Entry {EntryId} carries no data.");
}

/// <summary>The per-entry answers to a bulk delivery: <c>{"statuses":[{"entryId","status"}]}</c>.</summary>
public sealed class BulkAnswers
{
    private readonly List<Status> _statuses = [];

    public void Success(BulkDeliveryEntry entry) => _statuses.Add(new(entry.EntryId, "SUCCESS"));

    public void Retry(BulkDeliveryEntry entry) => _statuses.Add(new(entry.EntryId, "RETRY"));

    public void Drop(BulkDeliveryEntry entry) => _statuses.Add(new(entry.EntryId, "DROP"));

    public IResult ToResult() => Results.Json(new Answer(_statuses), (JsonSerializerOptions?)null);

    private sealed record Status([property: JsonPropertyName("entryId")] string EntryId, [property: JsonPropertyName("status")] string Value);

    private sealed record Answer([property: JsonPropertyName("statuses")] IReadOnlyList<Status> Statuses);
}
