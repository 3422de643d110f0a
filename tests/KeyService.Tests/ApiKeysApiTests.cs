using System.Net;
using System.Text.Json;
using Npgsql;
using Send.BuildingBlocks.ApiKeys;
using Send.TestSupport;
using static Send.KeyService.Tests.KeysApiClient;

namespace Send.KeyService.Tests;

/// <summary>The key lifecycle through the real Gateway and KeyService processes.</summary>
[Collection(KeysCluster.Name)]
public sealed class ApiKeysApiTests(SendCluster cluster)
{
    [Fact]
    public async Task A_created_key_shows_its_token_once_and_works_at_once()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var created = await CreateKey(admin, new { name = "ci", permission = "full_access" });

        var token = created.GetProperty("token").GetString()!;
        Assert.True(ApiKeyToken.TryParse(token, out var environment, out var prefix));
        Assert.Equal("live", environment);
        Assert.Equal(prefix, created.GetProperty("prefix").GetString());
        Assert.Equal("api_key", created.GetProperty("object").GetString());

        var (_, fetched) = await SendJson(admin, HttpMethod.Get, $"/v1/api-keys/{created.GetProperty("id").GetString()}");
        Assert.False(fetched.TryGetProperty("token", out _), "the token is never shown again");

        using var withNewKey = cluster.CreateAuthenticatedClient(token);
        var (response, _) = await SendJson(withNewKey, HttpMethod.Get, "/v1/api-keys");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_sending_access_key_cannot_manage_keys()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var created = await CreateKey(admin, new { name = "sender", permission = "sending_access" });
        Assert.Equal(["emails:send"], created.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        using var sender = cluster.CreateAuthenticatedClient(created.GetProperty("token").GetString());
        var (response, body) = await SendJson(sender, HttpMethod.Get, "/v1/api-keys");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("restricted_api_key", body.GetProperty("name").GetString());
        Assert.Contains("api_keys:manage", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_cannot_grant_more_than_it_holds()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var manager = await CreateKey(admin, new { name = "manager", permissions = new[] { "api_keys:manage" } });
        using var client = cluster.CreateAuthenticatedClient(manager.GetProperty("token").GetString());

        var (response, body) = await SendJson(client, HttpMethod.Post, "/v1/api-keys", """{"name":"escalate","permission":"full_access"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty("permission", out _));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_its_next_request()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var created = await CreateKey(admin, new { name = "to-revoke" });
        using var client = cluster.CreateAuthenticatedClient(created.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await SendJson(client, HttpMethod.Get, "/v1/api-keys")).Response.StatusCode);

        var (deleted, deletedBody) = await SendJson(admin, HttpMethod.Delete, $"/v1/api-keys/{created.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True(deletedBody.GetProperty("deleted").GetBoolean());

        // Gateways learn of the revocation by Redis pub/sub, which the DELETE's answer does not wait
        // for; the documented bound is one second (KeyCacheInvalidator), so that is all it gets.
        var (refused, body) = await Eventually.Until(() => SendJson(client, HttpMethod.Get, "/v1/api-keys"),
            r => r.Response.StatusCode != HttpStatusCode.OK, TimeSpan.FromSeconds(1), "the revoked key to be refused");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("invalid_api_key", body.GetProperty("name").GetString());
        Assert.Contains("revoked", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_keeps_the_old_secret_for_the_grace_period_only()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var created = await CreateKey(admin, new { name = "rotating" });
        var id = created.GetProperty("id").GetString();
        var original = created.GetProperty("token").GetString();

        var (_, withGrace) = await SendJson(admin, HttpMethod.Post, $"/v1/api-keys/{id}/rotate");
        var second = withGrace.GetProperty("token").GetString();
        Assert.NotEqual(original, second);
        Assert.True(withGrace.TryGetProperty("previous_token_expires_at", out _));
        foreach (var token in new[] { original, second })
        {
            using var client = cluster.CreateAuthenticatedClient(token);
            Assert.Equal(HttpStatusCode.OK, (await SendJson(client, HttpMethod.Get, "/v1/api-keys")).Response.StatusCode);
        }

        var (_, immediate) = await SendJson(admin, HttpMethod.Post, $"/v1/api-keys/{id}/rotate", """{"grace_period_seconds":0}""");
        using var old = cluster.CreateAuthenticatedClient(second);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendJson(old, HttpMethod.Get, "/v1/api-keys")).Response.StatusCode);
        using var fresh = cluster.CreateAuthenticatedClient(immediate.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await SendJson(fresh, HttpMethod.Get, "/v1/api-keys")).Response.StatusCode);
    }

    [Fact]
    public async Task Every_lifecycle_event_is_audited_with_the_acting_key()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var id = (await CreateKey(admin, new { name = "audited" })).GetProperty("id").GetString();
        await SendJson(admin, HttpMethod.Patch, $"/v1/api-keys/{id}", """{"name":"audited-renamed"}""");
        await SendJson(admin, HttpMethod.Post, $"/v1/api-keys/{id}/rotate");
        await SendJson(admin, HttpMethod.Delete, $"/v1/api-keys/{id}");

        await using var db = new NpgsqlConnection(cluster.DatabaseConnectionString("KeyService"));
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT action, actor_key_id FROM audit_entries WHERE api_key_id = @id ORDER BY id", db);
        command.Parameters.AddWithValue("id", id!);
        var rows = new List<(string Action, string? Actor)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        Assert.Equal(["api_key.created", "api_key.updated", "api_key.rotated", "api_key.revoked"], rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.StartsWith("key_", r.Actor, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lists_are_cursor_paginated_newest_first()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await CreateKey(admin, new { name = $"page-{i}" })).GetProperty("id").GetString()!);
        }

        var (_, first) = await SendJson(admin, HttpMethod.Get, "/v1/api-keys?limit=2");
        Assert.True(first.GetProperty("has_more").GetBoolean());
        var firstIds = first.GetProperty("data").EnumerateArray().Select(k => k.GetProperty("id").GetString()).ToList();
        Assert.Equal([ids[2], ids[1]], firstIds);

        var (_, next) = await SendJson(admin, HttpMethod.Get, $"/v1/api-keys?limit=2&after={firstIds[1]}");
        Assert.Equal(ids[0], next.GetProperty("data")[0].GetProperty("id").GetString());

        var (_, back) = await SendJson(admin, HttpMethod.Get, $"/v1/api-keys?limit=2&before={ids[0]}");
        Assert.Equal([ids[2], ids[1]], back.GetProperty("data").EnumerateArray().Select(k => k.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("10.0.0.0/8", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("127.0.0.0/8", HttpStatusCode.OK)]
    public async Task An_ip_allowlist_admits_only_its_ranges(string cidr, HttpStatusCode expected)
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var created = await CreateKey(admin, new { name = "allowlisted", allowed_cidrs = new[] { cidr } });
        using var client = cluster.CreateAuthenticatedClient(created.GetProperty("token").GetString());

        var (response, body) = await SendJson(client, HttpMethod.Get, "/v1/api-keys");
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Equal("restricted_api_key", body.GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task An_expired_key_is_refused_as_expired()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var created = await CreateKey(admin, new { name = "short-lived", expires_at = DateTimeOffset.UtcNow.AddSeconds(2) });
        using var client = cluster.CreateAuthenticatedClient(created.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await SendJson(client, HttpMethod.Get, "/v1/api-keys")).Response.StatusCode);

        var (_, body) = await Eventually.Until(
            () => SendJson(client, HttpMethod.Get, "/v1/api-keys"),
            r => r.Response.StatusCode == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(15), "the key to expire");
        Assert.Equal("invalid_api_key", body.GetProperty("name").GetString());
        Assert.Contains("expired", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sending_access_key_cannot_read_analytics_but_passes_the_gateway_for_sending()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var created = await CreateKey(admin, new { name = "sender-2", permission = "sending_access" });
        using var sender = cluster.CreateAuthenticatedClient(created.GetProperty("token").GetString());

        var (analytics, analyticsBody) = await SendJson(sender, HttpMethod.Get, "/v1/analytics/overview");
        Assert.Equal(HttpStatusCode.Forbidden, analytics.StatusCode);
        Assert.Equal("restricted_api_key", analyticsBody.GetProperty("name").GetString());

        // emails:send is enough to get past the Gateway to EmailService, which owns the route.
        var (send, sendBody) = await SendJson(sender, HttpMethod.Post, "/v1/emails", "{}");
        Assert.True(send.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), sendBody.ToString());
    }

    [Fact]
    public async Task Created_and_rotated_tokens_appear_in_no_table_and_no_log()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var created = await CreateKey(admin, new { name = "secret-keeping" });
        var (_, rotated) = await SendJson(admin, HttpMethod.Post, $"/v1/api-keys/{created.GetProperty("id").GetString()}/rotate");
        var tokens = new[] { created.GetProperty("token").GetString()!, rotated.GetProperty("token").GetString()! };
        foreach (var token in tokens)
        {
            using var client = cluster.CreateAuthenticatedClient(token);
            await SendJson(client, HttpMethod.Get, "/v1/api-keys");
        }

        await using var db = new NpgsqlConnection(cluster.DatabaseConnectionString("KeyService"));
        await db.OpenAsync();
        var dump = new System.Text.StringBuilder();
        foreach (var table in new[] { "api_keys", "audit_entries", "organizations", "api_key_usage" })
        {
            await using var command = new NpgsqlCommand($"SELECT coalesce(string_agg(t::text, ' '), '') FROM {table} t", db);
            dump.Append(await command.ExecuteScalarAsync());
        }

        foreach (var token in tokens)
        {
            var secret = token[16..];
            Assert.DoesNotContain(secret, dump.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, cluster.AllLogs, StringComparison.Ordinal);
        }
    }
}
