using System.Net;
using System.Text.Json;
using Send.TestSupport;

namespace Send.Gateway.Tests;

/// <summary>
/// Providers call back without an API key: the one route marked unauthenticated takes them to
/// EventService with an anonymous signed identity, limited per client address, while every other
/// route still wants a key.
/// </summary>
[Collection(GatewayCluster.Name)]
public sealed class ProviderCallbackRouteTests(SendCluster cluster)
{
    [Fact]
    public async Task A_provider_callback_reaches_EventService_without_a_key_and_is_limited_per_address()
    {
        using var gateway = await cluster.StartGatewayAsync(
        [
            new("Gateway__Callbacks__PermitLimit", "2"),
            new("Gateway__Callbacks__Window", "00:10:00"),
        ]);
        using var client = gateway.CreateClient();

        for (var i = 0; i < 2; i++)
        {
            using var response = await client.PostAsync(new Uri("/providers/ses", UriKind.Relative), new StringContent("not an SNS message"));
            // EventService's own refusal: the Gateway let the request through without a key and the
            // service accepted the Gateway's anonymous identity.
            await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "invalid_payload");
        }

        using var limited = await client.PostAsync(new Uri("/providers/ses", UriKind.Relative), new StringContent("not an SNS message"));
        await ProblemAssert.IsProblem(limited, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.NotNull(limited.Headers.RetryAfter);

        using var keyed = await client.GetAsync(new Uri("/v1/emails", UriKind.Relative));
        await ProblemAssert.IsProblem(keyed, HttpStatusCode.Unauthorized, "missing_api_key");
    }

    [Fact]
    public async Task EventService_reached_directly_refuses_a_callback_that_skipped_the_gateway()
    {
        using var direct = cluster.Service("EventService").CreateClient();
        using var response = await direct.PostAsync(new Uri("/providers/ses", UriKind.Relative), new StringContent("{}"));
        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "missing_internal_identity");
    }

    [Fact]
    public void Only_the_provider_callbacks_and_unsubscribe_routes_are_unauthenticated_and_every_other_route_names_its_permissions()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "src/Gateway/appsettings.json")));
        var routes = settings.RootElement.GetProperty("ReverseProxy").GetProperty("Routes").EnumerateObject().ToList();

        var unauthenticated = routes.Where(r => r.Value.TryGetProperty("Metadata", out var m) && m.TryGetProperty("Authentication", out _)).ToList();
        Assert.Equal(["provider-callbacks:/providers/{**rest}:eventservice", "unsubscribe:/unsubscribe/{**rest}:emailservice"],
            unauthenticated.Select(r => $"{r.Name}:{r.Value.GetProperty("Match").GetProperty("Path").GetString()}:{r.Value.GetProperty("ClusterId").GetString()}").Order());
        Assert.All(unauthenticated, r => Assert.Equal("none", r.Value.GetProperty("Metadata").GetProperty("Authentication").GetString()));

        Assert.All(routes.Where(r => !unauthenticated.Any(u => u.Name == r.Name)), r =>
        {
            var metadata = r.Value.GetProperty("Metadata");
            Assert.True(metadata.TryGetProperty("ReadPermission", out _), r.Name);
            Assert.True(metadata.TryGetProperty("WritePermission", out _), r.Name);
        });
    }
}
