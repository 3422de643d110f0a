using System.Net;
using System.Text.Json;
using Send.TestSupport;

namespace Send.WebhookService.Tests;

/// <summary>
/// With production's outbound settings (public addresses only, https only): a URL naming a
/// loopback, private, link-local or metadata address is refused by the API with a clear error,
/// and a name that resolves to one is refused where the delivery connects, the refusal recorded
/// in the attempt.
/// </summary>
[Collection(StrictWebhookClusterDefinition.Name)]
public sealed class WebhookSsrfTests(StrictWebhookCluster cluster)
{
    public static TheoryData<string> RefusedUrls => new()
    {
        "https://127.0.0.1/hooks",
        "https://10.1.2.3/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hooks",
        "https://100.64.0.1/hooks",
        "http://example.com/hooks",
    };

    [Theory]
    [MemberData(nameof(RefusedUrls))]
    public async Task A_url_to_a_refused_address_or_without_https_is_422_on_create_put_and_patch(string url)
    {
        var (client, _) = await Hooks.OrganizationAsync(cluster);
        using var owned = client;
        var (created, problem) = await HttpJson.SendAsync(client, HttpMethod.Post, "/v1/webhooks", new { endpoint = url, events = new[] { "*" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, created.StatusCode);
        var error = problem.GetProperty("errors").GetProperty("endpoint")[0].GetString()!;
        Assert.True(url.StartsWith("http:", StringComparison.Ordinal) ? error.Contains("https", StringComparison.Ordinal) : error.Contains("address", StringComparison.OrdinalIgnoreCase), error);

        var id = await Hooks.CreateAsync(client, "https://example.com/hooks", "*");
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Patch })
        {
            var (changed, changeProblem) = await HttpJson.SendAsync(client, method, $"/v1/webhooks/{id}", new { url, events = new[] { "*" } });
            Assert.True(changed.StatusCode == HttpStatusCode.UnprocessableEntity, $"{method}: {changed.StatusCode}");
            Assert.True(changeProblem.GetProperty("errors").TryGetProperty("url", out var _), changeProblem.ToString());
        }

        var (_, kept) = await HttpJson.SendAsync(client, HttpMethod.Get, $"/v1/webhooks/{id}");
        Assert.Equal("https://example.com/hooks", kept.GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task A_name_resolving_to_loopback_is_accepted_by_the_api_but_refused_where_the_delivery_connects()
    {
        var (client, _) = await Hooks.OrganizationAsync(cluster);
        using var owned = client;
        // localhost is a name like any other to the API (DNS can change after validation); it resolves to 127.0.0.1 here.
        var id = await Hooks.CreateAsync(client, $"https://localhost:{FreePort.Next()}/hooks", "*");
        await HttpJson.SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{id}/test");

        var deliveries = await Eventually.Until(() => Hooks.GetAsync(client, $"/v1/webhooks/{id}/deliveries"),
            d => d.GetProperty("data")[0].GetProperty("attempt_log").GetArrayLength() > 0, Hooks.Deadline, "the first attempt");
        var attempt = deliveries.GetProperty("data")[0].GetProperty("attempt_log")[0];
        var error = attempt.GetProperty("error").GetString()!;
        Assert.StartsWith("refused: localhost", error, StringComparison.Ordinal);
        Assert.Contains("is not a public internet address", error, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("status_code").ValueKind);
    }
}
