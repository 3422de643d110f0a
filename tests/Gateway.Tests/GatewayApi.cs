using System.Net.Http.Json;
using System.Text.Json;

namespace Send.Gateway.Tests;

internal static class GatewayApi
{
    public static async Task<JsonElement> CreateKey(HttpClient admin, object body)
    {
        using var response = await admin.PostAsJsonAsync("/v1/api-keys", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static HttpClient WithKey(Uri gateway, string? key)
    {
        var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    public static int Header(HttpResponseMessage response, string name) =>
        int.Parse(response.Headers.GetValues(name).Single(), System.Globalization.CultureInfo.InvariantCulture);
}
