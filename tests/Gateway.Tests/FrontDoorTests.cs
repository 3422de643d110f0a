using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Send.TestSupport;
using Xunit.Abstractions;
using static Send.Gateway.Tests.GatewayApi;

namespace Send.Gateway.Tests;

/// <summary>Keys, quotas and usage as several Gateway replicas see them, all on the same Redis.</summary>
[Collection(GatewayCluster.Name)]
public sealed class FrontDoorTests(SendCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task A_revoked_key_is_refused_by_every_gateway_replica_that_had_cached_it()
    {
        using var second = await cluster.StartGatewayAsync();
        using var admin = cluster.CreateAuthenticatedClient();
        var key = await CreateKey(admin, new { name = "cached-twice" });
        using var viaFirst = WithKey(cluster.Gateway.BaseAddress, key.GetProperty("token").GetString());
        using var viaSecond = WithKey(second.BaseAddress, key.GetProperty("token").GetString());
        foreach (var client in new[] { viaFirst, viaSecond, viaFirst, viaSecond })
        {
            using var warm = await client.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using var revoke = await admin.DeleteAsync(new Uri($"/v1/api-keys/{key.GetProperty("id").GetString()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var clock = Stopwatch.StartNew();
        foreach (var client in new[] { viaSecond, viaFirst })
        {
            await Eventually.Until(async () =>
            {
                using var response = await client.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
                return response.StatusCode;
            }, status => status == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(10), "the revoked key to be refused");
        }

        // Reported, not asserted: the target is under 1 s; timings are not test material here.
        output.WriteLine($"Revocation refused on both replicas {clock.ElapsedMilliseconds} ms after the DELETE answered.");
    }

    [Fact]
    public async Task Two_gateway_replicas_share_one_quota_and_report_it_in_headers()
    {
        using var second = await cluster.StartGatewayAsync();
        using var admin = cluster.CreateAuthenticatedClient();
        var key = await CreateKey(admin, new { name = "limited", rate_limit = new { requests = 6, period = 60 } });
        var token = key.GetProperty("token").GetString();
        using var viaFirst = WithKey(cluster.Gateway.BaseAddress, token);
        using var viaSecond = WithKey(second.BaseAddress, token);

        var remaining = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await (i % 2 == 0 ? viaFirst : viaSecond).GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(6, Header(response, "ratelimit-limit"));
            Assert.InRange(Header(response, "ratelimit-reset"), 1, 60);
            remaining.Add(Header(response, "ratelimit-remaining"));
        }

        Assert.Equal(remaining.OrderDescending(), remaining);
        Assert.Equal(0, remaining[^1]);

        using var refused = await viaSecond.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
        var problem = await ProblemAssert.IsProblem(refused, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.InRange(int.Parse(refused.Headers.GetValues("retry-after").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(0, Header(refused, "ratelimit-remaining"));
        Assert.Contains("6 per 60", problem.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Another key's quota is its own.
        using var other = await admin.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Usage_is_counted_per_service_and_day_and_last_used_at_follows()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var key = await CreateKey(admin, new { name = "metered" });
        var id = key.GetProperty("id").GetString();
        using var client = WithKey(cluster.Gateway.BaseAddress, key.GetProperty("token").GetString());
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var usage = await Eventually.Until(
            async () => JsonDocument.Parse(await admin.GetStringAsync(new Uri($"/v1/api-keys/{id}/usage", UriKind.Relative))).RootElement,
            u => u.GetProperty("data").GetArrayLength() > 0 && u.GetProperty("data")[0].GetProperty("requests").GetInt64() == 3,
            TimeSpan.FromSeconds(15), "usage to be drained into PostgreSQL");
        Assert.Equal("send", usage.GetProperty("data")[0].GetProperty("service").GetString());

        var fetched = JsonDocument.Parse(await admin.GetStringAsync(new Uri($"/v1/api-keys/{id}", UriKind.Relative))).RootElement;
        Assert.Equal(JsonValueKind.String, fetched.GetProperty("last_used_at").ValueKind);
    }

    [Fact]
    public async Task A_key_not_enabled_for_send_is_restricted()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var key = await CreateKey(admin, new { name = "sms-only", services = new[] { "sms" } });
        using var client = WithKey(cluster.Gateway.BaseAddress, key.GetProperty("token").GetString());
        using var response = await client.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
        await ProblemAssert.IsProblem(response, HttpStatusCode.Forbidden, "restricted_api_key");
    }
}
