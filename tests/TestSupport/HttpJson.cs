using System.Net.Http.Json;
using System.Text.Json;

namespace Send.TestSupport;

/// <summary>One API call with an optional JSON body, answering the response and its JSON (default when empty).</summary>
public static class HttpJson
{
    public static async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpClient api, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
