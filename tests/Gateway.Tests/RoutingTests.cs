using System.Net;
using System.Text.Json;
using Send.TestSupport;

namespace Send.Gateway.Tests;

[Collection(GatewayCluster.Name)]
public sealed class RoutingTests(SendCluster cluster)
{
    [Theory]
    [InlineData("/nothing-here")]
    [InlineData("/v1/not-a-resource")]
    [InlineData("/v1/api-keysX")]
    [InlineData("/v2/emails")]
    public async Task An_unknown_route_is_a_404_problem(string path)
    {
        using var client = cluster.CreateAuthenticatedClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task An_authenticated_request_reaches_the_owning_service_and_sees_its_own_organization()
    {
        using var client = cluster.CreateAuthenticatedClient();
        using var response = await client.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);

        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("list", json.GetProperty("object").GetString());
        var key = Assert.Single(json.GetProperty("data").EnumerateArray());
        Assert.Equal(cluster.BootstrapKey[..16], key.GetProperty("prefix").GetString());
        Assert.Equal("live", key.GetProperty("environment").GetString());
        Assert.DoesNotContain(cluster.BootstrapKey, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/api-keys", "api-keys", "keyservice")]
    [InlineData("/v1/emails", "emails", "emailservice")]
    [InlineData("/v1/templates", "templates", "emailservice")]
    [InlineData("/v1/domains", "domains", "emailservice")]
    [InlineData("/v1/suppressions", "suppressions", "emailservice")]
    [InlineData("/v1/analytics", "analytics", "eventservice")]
    [InlineData("/v1/webhooks", "webhooks", "webhookservice")]
    public void Every_public_resource_is_routed_to_its_owner_by_configuration(string prefix, string route, string cluster)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "src/Gateway/appsettings.json")));
        var proxy = settings.RootElement.GetProperty("ReverseProxy");
        var config = proxy.GetProperty("Routes").GetProperty(route);
        Assert.Equal(cluster, config.GetProperty("ClusterId").GetString());
        Assert.Equal(prefix + "/{**rest}", config.GetProperty("Match").GetProperty("Path").GetString());
        Assert.Equal($"http://{cluster}", proxy.GetProperty("Clusters").GetProperty(cluster)
            .GetProperty("Destinations").GetProperty("primary").GetProperty("Address").GetString());
    }

    [Fact]
    public async Task The_gateway_serves_one_merged_openapi_3_1_document_and_a_browsable_reference()
    {
        using var client = cluster.Gateway.CreateClient();
        // A service's first document can take longer than the Gateway waits (5 s) on a busy machine; a partial
        // document is not cached, so asking again shows it heal.
        var document = await Eventually.Until(async () => JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement,
            d => !d.TryGetProperty("x-send-missing-services", out _), TimeSpan.FromSeconds(45), "every service's OpenAPI document");

        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.False(document.TryGetProperty("x-send-missing-services", out var missing), $"every service's document was merged; missing: {missing}");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/api-keys", paths);
        Assert.All(paths, p => Assert.StartsWith("/v1/", p, StringComparison.Ordinal));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());

        using var docs = await client.GetAsync(new Uri("/docs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
    }
}
