using System.Net;
using System.Text.Json;
using Send.TestSupport;
using static Send.Gateway.Tests.GatewayApi;

namespace Send.Gateway.Tests;

/// <summary>A platform whose Redis the tests take away (every cluster has a Redis of its own).</summary>
public sealed class PrivateRedisCluster : SendCluster;

/// <summary>
/// Without Redis the Gateway degrades instead of failing: keys are verified against KeyService
/// (fail closed only when that is also unreachable), quotas hold per replica, and the Gateway
/// stays ready (Redis is reported Degraded).
/// </summary>
public sealed class RedisOutageTests(PrivateRedisCluster cluster) : IClassFixture<PrivateRedisCluster>
{
    [Fact]
    public async Task The_gateway_keeps_authenticating_and_limiting_while_redis_is_down()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var limited = await CreateKey(admin, new { name = "limited-offline", rate_limit = new { requests = 3, period = 60 } });

        cluster.Redis.Stop();
        try
        {
            using var response = await admin.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.Contains("ratelimit-remaining"));

            // A key the Gateway never saw before is still verified, against KeyService.
            var fresh = await CreateKey(admin, new { name = "made-offline" });
            using var freshClient = WithKey(cluster.Gateway.BaseAddress, fresh.GetProperty("token").GetString());
            using var freshResponse = await freshClient.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, freshResponse.StatusCode);

            // Quotas still hold (per replica now).
            using var limitedClient = WithKey(cluster.Gateway.BaseAddress, limited.GetProperty("token").GetString());
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++)
            {
                using var r = await limitedClient.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
                statuses.Add(r.StatusCode);
            }

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);

            using var gateway = cluster.Gateway.CreateClient();
            using var ready = await gateway.GetAsync(new Uri("/health/ready", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Degraded", report.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        }
        finally
        {
            await cluster.Redis.StartAgainAsync();
        }
    }
}
