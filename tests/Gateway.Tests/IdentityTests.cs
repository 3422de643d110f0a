using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Send.ServiceDefaults.Identity;
using Send.TestSupport;

namespace Send.Gateway.Tests;

[Collection(GatewayCluster.Name)]
public sealed class IdentityTests(SendCluster cluster)
{
    private static readonly Caller OtherOrganization = new()
    {
        Kind = Caller.ApiKeyKind,
        OrganizationId = "org_01jdzzzzzzzzzzzzzzzzzzzzzz",
        KeyId = "key_01jdzzzzzzzzzzzzzzzzzzzzzz",
        Permissions = ["api_keys:manage"],
        Environment = "live",
    };

    [Theory]
    [InlineData("KeyService", "/v1/api-keys")]
    [InlineData("EmailService", "/v1/emails")]
    [InlineData("EventService", "/v1/analytics/overview")]
    [InlineData("WebhookService", "/v1/webhooks")]
    [InlineData("KeyService", "/internal/api-keys/by-prefix/do_live_abcdefgh")]
    public async Task A_service_called_directly_without_an_identity_refuses(string service, string path)
    {
        using var client = cluster.Service(service).CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "missing_internal_identity");
    }

    [Fact]
    public async Task A_service_refuses_an_identity_signed_with_another_secret()
    {
        var wrongKey = RandomNumberGenerator.GetBytes(48);
        var forged = InternalIdentityToken.Sign(OtherOrganization, "GET", "/v1/api-keys", wrongKey, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        using var client = cluster.Service("KeyService").CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/api-keys");
        request.Headers.Add(InternalIdentityToken.HeaderName, forged);
        using var response = await client.SendAsync(request);
        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "missing_internal_identity");
    }

    [Fact]
    public async Task A_valid_identity_cannot_be_replayed_against_another_route()
    {
        var key = InternalIdentityToken.KeyFromSecret(cluster.IdentitySecret);
        var signedForEmails = InternalIdentityToken.Sign(OtherOrganization, "GET", "/v1/emails", key, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        using var client = cluster.Service("KeyService").CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/api-keys");
        request.Headers.Add(InternalIdentityToken.HeaderName, signedForEmails);
        using var response = await client.SendAsync(request);
        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "missing_internal_identity");
    }

    [Fact]
    public async Task An_identity_header_sent_by_a_client_to_the_gateway_is_stripped()
    {
        // Even a correctly signed header (which no client can make) must not pass the Gateway.
        var key = InternalIdentityToken.KeyFromSecret(cluster.IdentitySecret);
        var forged = InternalIdentityToken.Sign(OtherOrganization, "GET", "/v1/api-keys", key, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));

        using var anonymous = cluster.Gateway.CreateClient();
        using var withoutKey = new HttpRequestMessage(HttpMethod.Get, "/v1/api-keys");
        withoutKey.Headers.Add(InternalIdentityToken.HeaderName, forged);
        using var refused = await anonymous.SendAsync(withoutKey);
        await ProblemAssert.IsProblem(refused, HttpStatusCode.Unauthorized, "missing_api_key");

        using var client = cluster.CreateAuthenticatedClient();
        using var withKey = new HttpRequestMessage(HttpMethod.Get, "/v1/api-keys");
        withKey.Headers.Add(InternalIdentityToken.HeaderName, forged);
        using var response = await client.SendAsync(withKey);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var listed = JsonDocument.Parse(body).RootElement.GetProperty("data").EnumerateArray().Single();
        Assert.Equal(cluster.BootstrapKey[..16], listed.GetProperty("prefix").GetString());
    }

    [Fact]
    public async Task A_request_without_a_key_is_401_missing_api_key()
    {
        using var client = cluster.Gateway.CreateClient();
        using var response = await client.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "missing_api_key");
    }

    [Theory]
    [InlineData("Bearer not-a-key")]
    [InlineData("Bearer do_live_short")]
    [InlineData("Bearer do_prod_0123456789abcdefghijABCDEFGHIJ01")]
    [InlineData("Bearer do_live_0123456789abcdefghijABCDEFGHI!")]
    public async Task A_malformed_key_is_403_invalid_api_key(string authorization)
    {
        using var client = cluster.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/api-keys");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.SendAsync(request);
        await ProblemAssert.IsProblem(response, HttpStatusCode.Forbidden, "invalid_api_key");
    }

    [Fact]
    public async Task A_wrong_secret_behind_a_known_prefix_is_403_invalid_api_key()
    {
        var wrong = cluster.BootstrapKey[..16] + new string('x', 24);
        using var client = cluster.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", wrong);
        using var response = await client.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
        await ProblemAssert.IsProblem(response, HttpStatusCode.Forbidden, "invalid_api_key");
    }

    [Fact]
    public async Task A_well_formed_key_with_an_unknown_prefix_is_403_invalid_api_key()
    {
        using var client = cluster.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Send.BuildingBlocks.ApiKeys.ApiKeyToken.Generate("live"));
        using var response = await client.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
        await ProblemAssert.IsProblem(response, HttpStatusCode.Forbidden, "invalid_api_key");
    }

    [Fact]
    public async Task The_raw_key_never_reaches_a_service_or_a_log()
    {
        using var client = cluster.CreateAuthenticatedClient();
        using var response = await client.GetAsync(new Uri("/v1/api-keys", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(cluster.BootstrapKey, cluster.AllLogs, StringComparison.Ordinal);
    }
}
