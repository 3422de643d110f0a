using System.Net;
using Npgsql;
using Send.BuildingBlocks.ApiKeys;
using Send.TestSupport;
using static Send.KeyService.Tests.KeysApiClient;

namespace Send.KeyService.Tests;

/// <summary>
/// A key of organization B never sees or changes anything of organization A. Organizations are
/// made by operators, not through the public API, so B is created directly in KeyService's database.
/// </summary>
[Collection(KeysCluster.Name)]
public sealed class TenantIsolationTests(SendCluster cluster)
{
    [Fact]
    public async Task Organization_b_cannot_list_read_change_rotate_or_revoke_a_keys()
    {
        using var a = cluster.CreateAuthenticatedClient();
        var aKey = await CreateKey(a, new { name = "a-private" });
        var aKeyId = aKey.GetProperty("id").GetString()!;
        using var b = cluster.CreateAuthenticatedClient(await CreateOrganizationWithKeyAsync());

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

    private async Task<string> CreateOrganizationWithKeyAsync()
    {
        var token = ApiKeyToken.Generate("live");
        var suffix = Guid.NewGuid().ToString("N")[..26];
        await using var db = new NpgsqlConnection(cluster.DatabaseConnectionString("KeyService"));
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO organizations (id, name, created_at) VALUES (@org, 'b', now());
            INSERT INTO api_keys (id, organization_id, name, key_prefix, key_hash, permissions, services, environment,
                                  rate_limit_requests, rate_limit_period_seconds, status, allowed_cidrs, created_at)
            VALUES (@key, @org, 'b-admin', @prefix, @hash, @perms, '{send}', 'live', 1000, 60, 'active', '{}', now());
            """, db);
        command.Parameters.AddWithValue("org", "org_" + suffix);
        command.Parameters.AddWithValue("key", "key_" + suffix);
        command.Parameters.AddWithValue("prefix", token[..16]);
        command.Parameters.AddWithValue("hash", ApiKeyToken.Hash(token));
        command.Parameters.AddWithValue("perms", new[] { "api_keys:manage" });
        await command.ExecuteNonQueryAsync();
        return token;
    }
}
