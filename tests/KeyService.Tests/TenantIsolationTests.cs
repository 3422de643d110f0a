using System.Net;
using Send.TestSupport;
using static Send.KeyService.Tests.KeysApiClient;

namespace Send.KeyService.Tests;

/// <summary>A key of organization B never sees or changes anything of organization A.</summary>
[Collection(KeysCluster.Name)]
public sealed class TenantIsolationTests(SendCluster cluster)
{
    [Fact]
    public async Task Organization_b_cannot_list_read_change_rotate_or_revoke_a_keys()
    {
        using var a = cluster.CreateAuthenticatedClient();
        var aKey = await CreateKey(a, new { name = "a-private" });
        var aKeyId = aKey.GetProperty("id").GetString()!;
        using var b = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync("api_keys:manage"));

        var (_, bList) = await SendJson(b, HttpMethod.Get, "/v1/api-keys?limit=100");
        var visible = bList.GetProperty("data").EnumerateArray().Select(k => k.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain(aKeyId, visible);
        Assert.Single(visible);

        foreach (var (method, path, body) in new[]
                 {
                     (HttpMethod.Get, $"/v1/api-keys/{aKeyId}", (string?)null),
                     (HttpMethod.Patch, $"/v1/api-keys/{aKeyId}", """{"name":"hijacked"}"""),
                     (HttpMethod.Post, $"/v1/api-keys/{aKeyId}/rotate", null),
                     (HttpMethod.Delete, $"/v1/api-keys/{aKeyId}", null),
                 })
        {
            var (response, _) = await SendJson(b, method, path, body);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var aWithItsKey = cluster.CreateAuthenticatedClient(aKey.GetProperty("token").GetString());
        var (stillWorks, _) = await SendJson(aWithItsKey, HttpMethod.Get, $"/v1/api-keys/{aKeyId}");
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        var (_, unchanged) = await SendJson(a, HttpMethod.Get, $"/v1/api-keys/{aKeyId}");
        Assert.Equal("a-private", unchanged.GetProperty("name").GetString());
    }
}
