using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Send.KeyService.Tests;

/// <summary>Small helpers over the raw HTTP API: tests speak JSON on the wire, as clients do.</summary>
internal static class KeysApiClient
{
    public static async Task<(HttpResponseMessage Response, JsonElement Body)> SendJson(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement);
    }

    public static async Task<JsonElement> CreateKey(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/v1/api-keys", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }
}
