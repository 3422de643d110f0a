using System.Net;
using Npgsql;
using Send.TestSupport;
using static Send.KeyService.Tests.KeysApiClient;

namespace Send.KeyService.Tests;

[Collection(KeysCluster.Name)]
public sealed class ApiKeysValidationTests(SendCluster cluster)
{
    [Theory]
    [InlineData("""{}""", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"a","permission":"admin"}""", "permission")]
    [InlineData("""{"name":"a","permission":"full_access","permissions":["emails:send"]}""", "permission")]
    [InlineData("""{"name":"a","permissions":[]}""", "permissions")]
    [InlineData("""{"name":"a","permissions":["emails:delete"]}""", "permissions")]
    [InlineData("""{"name":"a","environment":"prod"}""", "environment")]
    [InlineData("""{"name":"a","services":["fax"]}""", "services")]
    [InlineData("""{"name":"a","rate_limit":{"requests":0,"period":60}}""", "rate_limit")]
    [InlineData("""{"name":"a","rate_limit":{"requests":10,"period":0}}""", "rate_limit")]
    [InlineData("""{"name":"a","allowed_cidrs":["10.0.0.0/99"]}""", "allowed_cidrs")]
    [InlineData("""{"name":"a","allowed_cidrs":["example.com"]}""", "allowed_cidrs")]
    [InlineData("""{"name":"a","domain_id":"example.com"}""", "domain_id")]
    [InlineData("""{"name":"a","expires_at":"2001-01-01T00:00:00Z"}""", "expires_at")]
    public async Task A_bad_create_request_is_a_422_naming_the_field_and_stores_nothing(string json, string field)
    {
        var before = await KeyCount();
        using var admin = cluster.CreateAuthenticatedClient();
        var (response, body) = await SendJson(admin, HttpMethod.Post, "/v1/api-keys", json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("validation_error", body.GetProperty("name").GetString());
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
        Assert.Equal(before, await KeyCount());
    }

    [Theory]
    [InlineData("""{"name":""", "name")]
    [InlineData("""not json at all""", "body")]
    [InlineData("""{"name":42}""", "name")]
    [InlineData("""{"name":"a","rate_limit":{"requests":"many","period":60}}""", "rate_limit.requests")]
    [InlineData("""{"name":"a","expires_at":"next tuesday"}""", "expires_at")]
    public async Task An_unreadable_body_is_a_400_naming_where_it_broke(string json, string field)
    {
        var before = await KeyCount();
        using var admin = cluster.CreateAuthenticatedClient();
        var (response, body) = await SendJson(admin, HttpMethod.Post, "/v1/api-keys", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_error", body.GetProperty("name").GetString());
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
        Assert.Equal(before, await KeyCount());
    }

    [Theory]
    [InlineData("/v1/api-keys?limit=0")]
    [InlineData("/v1/api-keys?limit=101")]
    [InlineData("/v1/api-keys?after=key_a&before=key_b")]
    public async Task A_bad_page_request_is_a_422(string path)
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var (response, body) = await SendJson(admin, HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("validation_error", body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Unknown_ids_are_404_problems()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/v1/api-keys/key_nope"), (HttpMethod.Patch, "/v1/api-keys/key_nope"),
                     (HttpMethod.Delete, "/v1/api-keys/key_nope"), (HttpMethod.Post, "/v1/api-keys/key_nope/rotate") })
        {
            var (response, body) = await SendJson(admin, method, path, method == HttpMethod.Patch ? "{}" : null);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("not_found", body.GetProperty("name").GetString());
        }
    }

    private async Task<long> KeyCount()
    {
        await using var db = new NpgsqlConnection(cluster.DatabaseConnectionString("KeyService"));
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM api_keys", db);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
