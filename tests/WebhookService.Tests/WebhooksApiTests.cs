using System.Net;
using Send.TestSupport;

namespace Send.WebhookService.Tests;

/// <summary>Bad requests answered 422 naming each field, nothing stored; one organization never sees another's webhooks.</summary>
[Collection(WebhookClusterDefinition.Name)]
public sealed class WebhooksApiTests(WebhookCluster cluster)
{
    public static TheoryData<string, object, string> BadRequests => new()
    {
        { "no url", new { events = new[] { "*" } }, "endpoint" },
        { "relative", new { endpoint = "/hooks", events = new[] { "*" } }, "endpoint" },
        { "ftp", new { url = "ftp://example.com/hooks", events = new[] { "*" } }, "url" },
        { "unknown event", new { endpoint = "https://example.com/hooks", events = new[] { "email.delivered", "email.exploded" } }, "events[1]" },
        { "no events", new { endpoint = "https://example.com/hooks" }, "events" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_422_naming_the_field_and_stores_nothing(string because, object body, string field)
    {
        using var admin = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync("webhooks:read", "webhooks:write"));
        var (response, problem) = await HttpJson.SendAsync(admin, HttpMethod.Post, "/v1/webhooks", body);
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, because);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{because}: {problem}");
        var (_, list) = await HttpJson.SendAsync(admin, HttpMethod.Get, "/v1/webhooks");
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Another_organization_cannot_read_change_test_or_delete_a_webhook()
    {
        using var a = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync("webhooks:read", "webhooks:write"));
        using var b = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync("webhooks:read", "webhooks:write"));
        var (_, created) = await HttpJson.SendAsync(a, HttpMethod.Post, "/v1/webhooks", new { endpoint = "https://example.com/a", events = Array.Empty<string>() });
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(["*"], created.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        foreach (var (method, path) in new[] { (HttpMethod.Get, ""), (HttpMethod.Patch, ""), (HttpMethod.Delete, ""), (HttpMethod.Post, "/test"), (HttpMethod.Post, "/rotate-secret"), (HttpMethod.Get, "/deliveries") })
        {
            var (response, _) = await HttpJson.SendAsync(b, method, $"/v1/webhooks/{id}{path}", method == HttpMethod.Patch ? new { status = "disabled" } : null);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
        }

        var (_, bList) = await HttpJson.SendAsync(b, HttpMethod.Get, "/v1/webhooks");
        Assert.Equal(0, bList.GetProperty("data").GetArrayLength());
        var (_, aOne) = await HttpJson.SendAsync(a, HttpMethod.Get, $"/v1/webhooks/{id}");
        Assert.Equal("enabled", aOne.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Patch_changes_the_url_events_and_status_and_delete_removes_it()
    {
        using var a = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync("webhooks:read", "webhooks:write"));
        var (_, created) = await HttpJson.SendAsync(a, HttpMethod.Post, "/v1/webhooks", new { endpoint = "https://example.com/a", events = new[] { "email.sent" } });
        var id = created.GetProperty("id").GetString()!;
        var (bad, problem) = await HttpJson.SendAsync(a, HttpMethod.Patch, $"/v1/webhooks/{id}", new { status = "paused" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));

        var (ok, changed) = await HttpJson.SendAsync(a, HttpMethod.Patch, $"/v1/webhooks/{id}",
            new { endpoint = "https://example.org/b", events = new[] { "domain.verified", "email.bounced" }, status = "disabled" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(("https://example.org/b", "disabled"), (changed.GetProperty("endpoint").GetString(), changed.GetProperty("status").GetString()));
        Assert.Equal(["domain.verified", "email.bounced"], changed.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        var (deleted, _) = await HttpJson.SendAsync(a, HttpMethod.Delete, $"/v1/webhooks/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var (gone, _) = await HttpJson.SendAsync(a, HttpMethod.Get, $"/v1/webhooks/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Put_replaces_the_endpoint_as_create_validates_it_and_a_status_left_out_means_enabled()
    {
        using var a = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync("webhooks:read", "webhooks:write"));
        var (_, created) = await HttpJson.SendAsync(a, HttpMethod.Post, "/v1/webhooks", new { endpoint = "https://example.com/a", events = new[] { "email.sent" } });
        var id = created.GetProperty("id").GetString()!;

        // Unlike PATCH, a PUT without the URL or the events is incomplete.
        var (bad, problem) = await HttpJson.SendAsync(a, HttpMethod.Put, $"/v1/webhooks/{id}", new { url = "https://example.org/b", status = "paused" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("events", out _), problem.ToString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _), problem.ToString());
        var (_, unchanged) = await HttpJson.SendAsync(a, HttpMethod.Get, $"/v1/webhooks/{id}");
        Assert.Equal("https://example.com/a", unchanged.GetProperty("endpoint").GetString());

        var (ok, disabled) = await HttpJson.SendAsync(a, HttpMethod.Put, $"/v1/webhooks/{id}", new { url = "https://example.org/b", events = new[] { "domain.created" }, status = "disabled" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(("https://example.org/b", "disabled"), (disabled.GetProperty("endpoint").GetString(), disabled.GetProperty("status").GetString()));
        Assert.Equal(["domain.created"], disabled.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        var (_, replaced) = await HttpJson.SendAsync(a, HttpMethod.Put, $"/v1/webhooks/{id}", new { endpoint = "https://example.net/c", events = new[] { "*" } });
        Assert.Equal(("https://example.net/c", "enabled"), (replaced.GetProperty("endpoint").GetString(), replaced.GetProperty("status").GetString()));
        Assert.Equal(["*"], replaced.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        var (_, history) = await HttpJson.SendAsync(a, HttpMethod.Get, $"/v1/webhooks/{id}/history");
        Assert.Equal([("webhook.enabled", false), ("webhook.disabled", false)],
            history.GetProperty("data").EnumerateArray().Select(e => (e.GetProperty("type").GetString(), e.GetProperty("automatic").GetBoolean())));

        var (missing, _) = await HttpJson.SendAsync(a, HttpMethod.Put, "/v1/webhooks/wh_missing", new { endpoint = "https://example.net/c", events = new[] { "*" } });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
