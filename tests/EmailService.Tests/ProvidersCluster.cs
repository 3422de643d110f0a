using Send.TestSupport;

namespace Send.EmailService.Tests;

/// <summary>
/// EmailService with a provider chain of SES (aws-ses-v2-local, npm, behind a recording proxy) then SMTP (smtp4dev), and
/// one organization routed to Resend (the format-checking stand-in) then SMTP. Circuits open
/// after 3 failures so a test can watch one open. A provider may take 9 s, longer than the
/// transport waits for the delivery handler (5 s), so a test can watch a delivery being abandoned mid-send.
/// </summary>
public sealed class ProvidersCluster : EmailCluster, IDisposable
{
    public const string AwsSecret = "ses-secret-that-must-never-be-logged";
    public const string ResendKey = "re_resend_key_that_must_never_be_logged";
    public const string ResendRoutedOrganization = "org_01resendrouted000000000000";
    public const string ResendOnlyOrganization = "org_01resendonly00000000000000";

    private readonly int _sesPort = FreePort.Next();
    private ExternalProcess? _ses;

    private Task<string>? _routedKey;
    private Task<string>? _resendOnlyKey;

    public ResendStandIn Resend { get; private set; } = null!;

    /// <summary>What EmailService sent to SES, as it went over the wire (aws-ses-v2-local's store drops tags and headers).</summary>
    public RecordingProxy SesWire { get; private set; } = null!;

    /// <summary>SES's identity calls (Easy DKIM), which aws-ses-v2-local does not implement, answered by the proxy.</summary>
    public SesIdentityStandIn SesIdentities { get; } = new();

    /// <summary>A key of the organization routed to Resend (created on first use; the tests of a class run one at a time).</summary>
    public Task<string> RoutedOrganizationKeyAsync() =>
        _routedKey ??= CreateOrganizationWithKeyAsync(ResendRoutedOrganization, ["emails:send", "emails:read"]);

    /// <summary>A key of the organization whose chain is Resend alone (no provider to fail over to).</summary>
    public Task<string> ResendOnlyOrganizationKeyAsync() =>
        _resendOnlyKey ??= CreateOrganizationWithKeyAsync(ResendOnlyOrganization, ["emails:send", "emails:read"]);

    public Uri SesStore => new($"http://127.0.0.1:{_sesPort}/store");

    public override async Task InitializeAsync()
    {
        Resend = await ResendStandIn.StartAsync(ResendKey);
        await StartSesAsync();
        SesWire = await RecordingProxy.StartAsync(new Uri($"http://127.0.0.1:{_sesPort}/"), SesIdentities.Answer);
        await base.InitializeAsync();
    }

    public async Task StartSesAsync()
    {
        _ses = new ExternalProcess("aws-ses-v2-local", "node",
            [Path.Combine(Repository.Root, "tests", "peers", "node_modules", "aws-ses-v2-local", "dist", "cli.js"), "--host", "127.0.0.1", "--port", _sesPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var http = new HttpClient();
        await Eventually.Until(async () => (await http.GetAsync(SesStore)).IsSuccessStatusCode, ok => ok, TimeSpan.FromSeconds(20), "aws-ses-v2-local to start");
    }

    public void StopSes()
    {
        _ses?.Dispose();
        _ses = null;
    }

    protected override IEnumerable<KeyValuePair<string, string?>> EmailServiceSettings() =>
    [
        new("Providers__Chain__0", "ses"),
        new("Providers__Chain__1", "smtp"),
        new($"Providers__Organizations__{ResendRoutedOrganization}__0", "resend"),
        new($"Providers__Organizations__{ResendRoutedOrganization}__1", "smtp"),
        new($"Providers__Organizations__{ResendOnlyOrganization}__0", "resend"),
        new("Providers__Ses__Region", "eu-west-1"),
        new("Providers__Ses__Endpoint", SesWire.BaseAddress.ToString()),
        new("Providers__Ses__ConfigurationSetName", "send-events"),
        new("Providers__Ses__DkimCnameSuffix", "dkim.amazonses.test"),
        new("Providers__Resend__BaseAddress", Resend.BaseAddress.ToString()),
        new("Providers__Resend__ApiKey", ResendKey),
        new("Providers__BreakMinimumThroughput", "3"),
        new("Providers__BreakDuration", "00:01:00"),
        new("Providers__Timeout", "00:00:09"),
        new("AWS_ACCESS_KEY_ID", "AKIDSENDTEST"),
        new("AWS_SECRET_ACCESS_KEY", AwsSecret),
    ];

    public void Dispose() => StopSes();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        StopSes();
        if (Resend is not null)
        {
            await Resend.DisposeAsync();
        }

        if (SesWire is not null)
        {
            await SesWire.DisposeAsync();
        }
    }
}
