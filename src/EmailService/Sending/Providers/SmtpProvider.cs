using System.Collections.Concurrent;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Send.EmailService.Sending.Providers;

/// <summary>
/// Sends through an SMTP relay over a small pool of open connections (connecting and saying
/// EHLO per message would cost more than the message). A connection that fails is discarded;
/// the outcome follows the reply code: 4xx and network failures are transient, 5xx permanent.
/// </summary>
public sealed class SmtpProvider(IOptions<SmtpOptions> options) : IEmailProvider, IDisposable
{
    /// <summary>Servers drop idle sessions (often after 60 s or less); one idle longer than this is closed, not reused.</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(20);

    private readonly ConcurrentBag<(SmtpClient Client, long IdleSince)> _idle = [];
    private readonly SemaphoreSlim _open = new(options.Value.PoolSize);

    public string Name => "smtp";

    public async Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        var (message, sender, recipients) = (email.Message, email.Sender, email.Recipients);
        await _open.WaitAsync(cancellationToken);
        SmtpClient? client = null;
        try
        {
            string reply;
            (client, var reused) = await TakeConnectedAsync(cancellationToken);
            try
            {
                reply = await client.SendAsync(message, sender, recipients, cancellationToken);
            }
            catch (Exception ex) when (reused && ex is SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException)
            {
                // The server closed a pooled session while it sat idle: one more try on a new connection.
                client.Dispose();
                client = null;
                (client, _) = await TakeConnectedAsync(cancellationToken, reuse: false);
                reply = await client.SendAsync(message, sender, recipients, cancellationToken);
            }

            _idle.Add((client, Environment.TickCount64));
            client = null;
            return ProviderResult.Accepted(QueueId(reply) ?? message.MessageId ?? "");
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            return ProviderResult.Permanent($"The SMTP server refused the message: {(int)ex.StatusCode} {ex.Message}");
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException)
        {
            return ProviderResult.Transient($"SMTP: {ex.Message}");
        }
        catch (MailKit.Security.AuthenticationException)
        {
            // A relay-wide problem (the configured credentials), not this message's: fail over or retry later.
            return ProviderResult.Transient("SMTP: the relay refused Send's credentials (check Smtp:Username and Smtp:Password).");
        }
        catch (MailKit.Security.SslHandshakeException ex)
        {
            return ProviderResult.Transient($"SMTP: TLS with the relay failed: {ex.Message.Split('\n')[0]}");
        }
        finally
        {
            client?.Dispose();
            _open.Release();
        }
    }

    private async Task<(SmtpClient Client, bool Reused)> TakeConnectedAsync(CancellationToken cancellationToken, bool reuse = true)
    {
        while (reuse && _idle.TryTake(out var pooled))
        {
            if (pooled.Client.IsConnected && Environment.TickCount64 - pooled.IdleSince < MaxIdle.TotalMilliseconds)
            {
                return (pooled.Client, true);
            }

            pooled.Client.Dispose();
        }

        var settings = options.Value;
        var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        if (settings.ServerCertificateSha256 is { Length: > 0 } pinned)
        {
            // A private relay with its own certificate: trust exactly that certificate, nothing looser.
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || (certificate is not null && string.Equals(Convert.ToHexString(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)),
                    pinned.Replace(":", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
        }

        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, settings.Security, cancellationToken);
            if (settings.Username is not null)
            {
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
            }

            return (client, false);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The relay's id for the message, from a reply like "250 2.0.0 Ok: queued as 4F2A1".</summary>
    private static string? QueueId(string reply)
    {
        var marker = reply.LastIndexOf("queued as ", StringComparison.OrdinalIgnoreCase);
        return marker < 0 ? null : reply[(marker + "queued as ".Length)..].Trim();
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var pooled))
        {
            pooled.Client.Dispose();
        }

        _open.Dispose();
    }
}
