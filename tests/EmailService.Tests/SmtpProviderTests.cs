using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Send.EmailService.Sending.Providers;
using Send.TestSupport;

namespace Send.EmailService.Tests;

/// <summary>
/// The SMTP provider against a real SMTP server (npm smtp-server) that requires STARTTLS and
/// AUTH, with a certificate made for the test: pinned, it is trusted; unpinned, refused; a
/// wrong password is a relay problem (transient), never a delivered message.
/// </summary>
public sealed class SmtpProviderTests : IAsyncLifetime, IDisposable
{
    private const string User = "relay-user";
    private const string Password = "relay-password";
    private readonly string _dir = Directory.CreateTempSubdirectory("send-smtp-").FullName;
    private readonly int _port = FreePort.Next();
    private ExternalProcess _server = null!;
    private string _fingerprint = "";

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=relay.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _fingerprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        await File.WriteAllTextAsync(Path.Combine(_dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(Path.Combine(_dir, "cert.pem"), certificate.ExportCertificatePem());

        _server = new ExternalProcess("smtp-capture", "node",
            [Path.Combine(Repository.Root, "tests", "peers", "smtp-capture.mjs"), _port.ToString(System.Globalization.CultureInfo.InvariantCulture), _dir, User, Password,
             Path.Combine(_dir, "key.pem"), Path.Combine(_dir, "cert.pem")]);
        await Eventually.Until(() => Task.FromResult(_server.Output.Contains("listening", StringComparison.Ordinal)), ok => ok, TimeSpan.FromSeconds(20), "the SMTP server to listen");
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _server?.Dispose();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task With_STARTTLS_and_AUTH_the_message_arrives_over_TLS_as_the_authenticated_user()
    {
        using var smtp = Provider(_fingerprint, Password);
        var result = await smtp.SendAsync(Email("Over TLS"), CancellationToken.None);

        Assert.Equal(ProviderOutcome.Accepted, result.Outcome);
        Assert.Equal("capture-1", result.ProviderMessageId);
        var envelope = JsonDocument.Parse(_server.Output.Split('\n').First(l => l.StartsWith("{\"n\":1", StringComparison.Ordinal))).RootElement;
        Assert.True(envelope.GetProperty("secure").GetBoolean());
        Assert.Equal(User, envelope.GetProperty("user").GetString());
        Assert.Equal("bounces+send_1@send.relay.test", envelope.GetProperty("from").GetString());
        Assert.Equal(["ann@example.com", "bcc@example.com"], envelope.GetProperty("to").EnumerateArray().Select(t => t.GetString()));
        var received = await MimeMessage.LoadAsync(Path.Combine(_dir, "1.eml"));
        Assert.Equal("Over TLS", received.Subject);
        Assert.DoesNotContain(received.Headers, h => h.Field == "Bcc");
    }

    [Fact]
    public async Task A_wrong_password_or_an_unpinned_self_signed_certificate_is_transient_and_nothing_is_delivered()
    {
        using var wrongPassword = Provider(_fingerprint, "not-the-password");
        var refused = await wrongPassword.SendAsync(Email("Wrong password"), CancellationToken.None);
        Assert.Equal(ProviderOutcome.Transient, refused.Outcome);
        Assert.Contains("credentials", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", refused.Error, StringComparison.Ordinal);

        using var unpinned = Provider(null, Password);
        var untrusted = await unpinned.SendAsync(Email("Untrusted"), CancellationToken.None);
        Assert.Equal(ProviderOutcome.Transient, untrusted.Outcome);
        Assert.Contains("TLS", untrusted.Error, StringComparison.Ordinal);

        Assert.Empty(Directory.GetFiles(_dir, "*.eml"));
    }

    private SmtpProvider Provider(string? fingerprint, string password) => new(Options.Create(new SmtpOptions
    {
        Host = "127.0.0.1", Port = _port, Security = SecureSocketOptions.StartTls, Username = User, Password = password, ServerCertificateSha256 = fingerprint,
        Timeout = TimeSpan.FromSeconds(10),
    }));

    private static OutgoingEmail Email(string subject)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(new MailboxAddress("Shop", "shop@relay.test"));
        message.To.Add(MailboxAddress.Parse("ann@example.com"));
        message.Body = new TextPart("plain") { Text = "hello" };
        return new OutgoingEmail("send_1", "org_1", message, MailboxAddress.Parse("bounces+send_1@send.relay.test"),
            [MailboxAddress.Parse("ann@example.com"), MailboxAddress.Parse("bcc@example.com")]);
    }
}
