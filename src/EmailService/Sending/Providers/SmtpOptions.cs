using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace Send.EmailService.Sending.Providers;

/// <summary>The SMTP relay live emails go through (<c>Smtp</c>): a mail catcher locally, any relay in production.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";
    public const string ConnectionName = "smtp";

    [Required] public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)] public int Port { get; set; } = 25;

    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTlsWhenAvailable;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Connections kept open and reused; sending opens at most this many at once.</summary>
    [Range(1, 256)] public int PoolSize { get; set; } = 8;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// For a relay with a self-signed certificate: its SHA-256 fingerprint (hex, colons allowed).
    /// That certificate alone is then trusted; every other still needs a valid chain.
    /// </summary>
    public string? ServerCertificateSha256 { get; set; }

    /// <summary>
    /// Takes the relay from a connection string, the form Aspire and secrets hand out:
    /// <c>smtp://[user:password@]host:port</c> (STARTTLS when offered, none when the host is
    /// local) or <c>smtps://…</c> (TLS from the first byte).
    /// </summary>
    public void ApplyConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }

        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("smtp" or "smtps"))
        {
            throw new InvalidOperationException("ConnectionStrings:smtp must look like smtp://[user:password@]host:port or smtps://….");
        }

        Host = uri.Host;
        Port = uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "smtps" ? 465 : 25) : uri.Port;
        Security = uri.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect
            : uri.IsLoopback ? SecureSocketOptions.None
            : SecureSocketOptions.StartTlsWhenAvailable;
        if (uri.UserInfo.Split(':', 2) is [{ Length: > 0 } user, var password])
        {
            Username = Uri.UnescapeDataString(user);
            Password = Uri.UnescapeDataString(password);
        }
    }
}
