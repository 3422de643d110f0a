using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Send.ServiceDefaults.Identity;

/// <summary>
/// The signed header that carries a <see cref="Caller"/> from the Gateway to a service:
/// <c>v1.{base64url(json)}.{base64url(hmac-sha256)}</c>. The MAC also covers the HTTP method and
/// path, so a captured header cannot be replayed against another route, and the payload holds
/// an expiry, so it cannot be replayed for long.
/// </summary>
public static class InternalIdentityToken
{
    public const string HeaderName = "X-Send-Identity";
    private const string Version = "v1";

    public static string Sign(Caller caller, string method, string path, byte[] key, DateTimeOffset now, TimeSpan lifetime)
    {
        var envelope = new Envelope(caller, now.ToUnixTimeSeconds(), (now + lifetime).ToUnixTimeSeconds());
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(envelope));
        var mac = Base64Url.EncodeToString(Mac(key, payload, method, path));
        return $"{Version}.{payload}.{mac}";
    }

    public static bool TryVerify(string? token, string method, string path, byte[] key, DateTimeOffset now, out Caller? caller, out string error)
    {
        caller = null;
        var parts = token?.Split('.');
        if (parts is not { Length: 3 } || parts[0] != Version)
        {
            error = "The internal identity is missing or malformed.";
            return false;
        }

        byte[] presented;
        try
        {
            presented = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            error = "The internal identity signature is malformed.";
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(presented, Mac(key, parts[1], method, path)))
        {
            error = "The internal identity signature does not match.";
            return false;
        }

        var envelope = JsonSerializer.Deserialize<Envelope>(Base64Url.DecodeFromChars(parts[1]));
        var unixNow = now.ToUnixTimeSeconds();
        // A little skew is allowed between replicas' clocks.
        if (envelope is null || envelope.ExpiresAt < unixNow || envelope.IssuedAt > unixNow + 30)
        {
            error = "The internal identity has expired.";
            return false;
        }

        caller = envelope.Caller;
        error = "";
        return true;
    }

    /// <summary>Accepts the secret as base64 when it decodes to 32+ bytes, else as UTF-8 text.</summary>
    public static byte[] KeyFromSecret(string secret)
    {
        var buffer = new byte[secret.Length];
        if (Convert.TryFromBase64String(secret, buffer, out var written) && written >= 32)
        {
            return buffer[..written];
        }

        return Encoding.UTF8.GetBytes(secret);
    }

    private static byte[] Mac(byte[] key, string payload, string method, string path) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{payload}\n{method.ToUpperInvariant()}\n{path}"));

    private sealed record Envelope(Caller Caller, long IssuedAt, long ExpiresAt);
}
