using System.Security.Cryptography;
using System.Text;

namespace Send.WebhookService.Services;

/// <summary>
/// Standard Webhooks signatures (what Svix, and so Resend, send): <c>v1,</c> + base64
/// HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>, keyed with the base64-decoded part of the
/// <c>whsec_</c> secret. Several signatures are space-separated; a receiver accepts any.
/// </summary>
public static class WebhookSigner
{
    public const string Prefix = "whsec_";

    /// <summary>A new secret: 24 random bytes, as Svix makes them.</summary>
    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    public static string Header(IEnumerable<string> secrets, string id, long timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Sign(s, id, timestamp, body)));
}
