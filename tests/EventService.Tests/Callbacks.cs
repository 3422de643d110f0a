using System.Net;
using System.Text.Json;
using Send.TestSupport;

namespace Send.EventService.Tests;

/// <summary>Reading samples, and what the tests expect of every answer.</summary>
internal static class Callbacks
{
    public static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    public static byte[] SampleBytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A 200 with how many provider events were published.</summary>
    public static async Task<int> AcceptedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("published").GetInt32();
    }

    /// <summary>An RFC 9457 problem with Send's members; returns its detail.</summary>
    public static async Task<string> RefusedAsync(HttpResponseMessage response, HttpStatusCode status, string name)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.Equal(name, json.GetProperty("name").GetString());
        return json.GetProperty("detail").GetString()!;
    }

    public static string Text(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    public static string? NullableText(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static Dictionary<string, string> Details(this JsonElement element) =>
        element.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object
            ? details.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];

    /// <summary>The outbox is written in the request's own transaction, so it is there when the answer is; nothing is waited for.</summary>
    public static Task<List<JsonElement>> PublishedAsync(this EventCluster cluster, string providerEventId) => cluster.PublishedAsync(providerEventId);

    public static HttpClient Anonymous(this SendCluster cluster) => cluster.Gateway.CreateClient();
}
