using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Send.TestSupport;

namespace Send.ProviderClients.Tests;

/// <summary>
/// The SES client against <c>aws-ses-v2-local</c> (npm), a local SES v2 endpoint started here.
/// It checks the request's shape and that a SigV4 Authorization header is present, not the
/// signature itself: <see cref="AwsSigV4Tests"/> covers that.
/// </summary>
public sealed class SesV2ClientTests : IAsyncLifetime, IDisposable
{
    private readonly int _port = FreePort.Next();
    private ExternalProcess _ses = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _ses = new ExternalProcess("aws-ses-v2-local", "node",
            [Path.Combine(Repository.Root, "tests", "peers", "node_modules", "aws-ses-v2-local", "dist", "cli.js"), "--host", "127.0.0.1", "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await Eventually.Until(async () => (await _http.GetAsync(Local("/store"))).IsSuccessStatusCode, ok => ok, TimeSpan.FromSeconds(20), "aws-ses-v2-local to start");
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _ses?.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task A_raw_message_is_accepted_and_stored_with_its_content_and_every_recipient()
    {
        var client = new SesV2Client(_http, new SesOptions { Region = "eu-west-1", Endpoint = new Uri(Local("/")), ConfigurationSetName = "send-events" },
            _ => Task.FromResult(new ImmutableCredentials("AKIDEXAMPLE", "not-a-real-secret", null)), TimeProvider.System);
        var raw = Encoding.UTF8.GetBytes("From: Shop <shop@ses.test>\r\nTo: ann@example.com\r\nSubject: Your receipt\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThanks!\r\n");

        var result = await client.SendRawAsync(new SesRawEmail("shop@ses.test", ["ann@example.com", "hidden@example.com"], raw,
            new Dictionary<string, string> { ["send_email_id"] = "send_01abc", ["send_organization"] = "org_01xyz" }), CancellationToken.None);

        Assert.True(result.Succeeded, $"{result.Status} {result.ErrorType} {result.ErrorMessage}");
        var store = await _http.GetFromJsonAsync<JsonElement>(Local("/store"));
        var stored = Assert.Single(store.GetProperty("emails").EnumerateArray(), e => e.GetProperty("messageId").GetString() == result.MessageId);
        Assert.Equal("Your receipt", stored.GetProperty("subject").GetString());
        Assert.Equal("Thanks!", stored.GetProperty("body").GetProperty("text").GetString()?.Trim());
        Assert.Contains("ann@example.com", stored.GetProperty("destination").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_endpoint_surfaces_as_an_exception_for_the_provider_to_treat_as_transient()
    {
        var client = new SesV2Client(_http, new SesOptions { Endpoint = new Uri($"http://127.0.0.1:{FreePort.Next()}/") },
            _ => Task.FromResult(new ImmutableCredentials("a", "b", null)), TimeProvider.System);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendRawAsync(
            new SesRawEmail("a@b.test", ["c@d.test"], [1], new Dictionary<string, string>()), CancellationToken.None));
    }

    private string Local(string path) => $"http://127.0.0.1:{_port}{path}";
}
