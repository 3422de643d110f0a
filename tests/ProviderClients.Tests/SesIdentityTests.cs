using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Send.TestSupport;

namespace Send.ProviderClients.Tests;

/// <summary>
/// The identity calls (Easy DKIM) against a stand-in that answers as SES documents them,
/// behind a recording proxy so the exact requests are checked.
/// </summary>
public sealed class SesIdentityTests : IAsyncLifetime, IDisposable
{
    private readonly SesIdentityStandIn _ses = new();
    private RecordingProxy _proxy = null!;
    private SesV2Client _client = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        // Nothing listens at the target: every call must be answered by the stand-in.
        _proxy = await RecordingProxy.StartAsync(new Uri($"http://127.0.0.1:{FreePort.Next()}/"), _ses.Answer);
        _client = new SesV2Client(_http, new SesOptions { Region = "eu-west-1", Endpoint = _proxy.BaseAddress },
            _ => Task.FromResult(new ImmutableCredentials("AKIDEXAMPLE", "not-a-real-secret", null)), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        Dispose();
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Creating_a_domain_identity_sends_its_name_signed_for_ses_and_returns_three_tokens()
    {
        var identity = await _client.CreateDomainIdentityAsync("shop.example", CancellationToken.None);

        Assert.Equal(3, identity.DkimTokens.Count);
        Assert.Equal(_ses.TokensOf("shop.example"), identity.DkimTokens);
        Assert.Equal("PENDING", identity.DkimStatus);
        var request = Assert.Single(_proxy.Requests);
        Assert.Equal(("POST", "/v2/email/identities"), (request.Method, request.PathAndQuery));
        Assert.Equal("shop.example", JsonDocument.Parse(request.Body).RootElement.GetProperty("EmailIdentity").GetString());
        Assert.Contains("/eu-west-1/ses/aws4_request", request.Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_an_identity_SES_already_has_returns_its_existing_tokens()
    {
        var first = await _client.CreateDomainIdentityAsync("again.example", CancellationToken.None);
        _ses.DkimStatus = "SUCCESS";

        var second = await _client.CreateDomainIdentityAsync("again.example", CancellationToken.None);

        Assert.Equal(first.DkimTokens, second.DkimTokens);
        Assert.Equal("SUCCESS", second.DkimStatus);
        Assert.True(second.VerifiedForSending);
        Assert.Equal(["POST", "POST", "GET"], _proxy.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Deleting_removes_the_identity_and_deleting_an_unknown_one_is_not_an_error()
    {
        await _client.CreateDomainIdentityAsync("gone.example", CancellationToken.None);

        await _client.DeleteIdentityAsync("gone.example", CancellationToken.None);
        await _client.DeleteIdentityAsync("gone.example", CancellationToken.None);

        Assert.Empty(_ses.Identities);
        Assert.Equal("/v2/email/identities/gone.example", _proxy.Requests.Last().PathAndQuery);
    }

    [Fact]
    public async Task A_refusal_surfaces_with_SES_error_type_and_status()
    {
        _ses.Failing = (429, "TooManyRequestsException");

        var error = await Assert.ThrowsAsync<SesApiException>(() => _client.CreateDomainIdentityAsync("busy.example", CancellationToken.None));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.Status);
        Assert.Equal("TooManyRequestsException", error.ErrorType);
    }
}
