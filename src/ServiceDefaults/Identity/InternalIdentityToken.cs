using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Send.ServiceDefaults.Identity;

/// <summary>
/// The signed header that carries a <see cref="Caller"/> from the Gateway to a service:
/// <c>v1.{base64url(caller json)}.{issued}.{expires}.{base64url(hmac-sha256)}</c>. The MAC also
/// covers the HTTP method and path, so a captured header cannot be replayed against another
/// route, and the times bound how long it can be replayed at all. The caller part does not
/// depend on time, so the Gateway encodes it once per key and only computes the MAC per request.
/// </summary>
public static class InternalIdentityToken
{
    public const string HeaderName = "X-Send-Identity";
    private const string Version = "v1";

    /// <summary>Allowed clock difference between the Gateway and a service.</summary>
    private const long SkewSeconds = 30;

    public static string EncodeCaller(Caller caller) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(caller));

    public static string Sign(Caller caller, string method, string path, byte[] key, DateTimeOffset now, TimeSpan lifetime) =>
        Sign(EncodeCaller(caller), method, path, key, now, lifetime);

    public static string Sign(string encodedCaller, string method, string path, byte[] key, DateTimeOffset now, TimeSpan lifetime)
    {
        var issued = now.ToUnixTimeSeconds();
        var signed = string.Create(CultureInfo.InvariantCulture, $"{Version}.{encodedCaller}.{issued}.{issued + (long)lifetime.TotalSeconds}");
        return $"{signed}.{Base64Url.EncodeToString(Mac(key, signed, method, path))}";
    }

    public static bool TryVerify(string? token, string method, string path, byte[] key, DateTimeOffset now, out Caller? caller, out string error)
    {
        caller = null;
        var parts = token?.Split('.');
        if (parts is not { Length: 5 } || parts[0] != Version
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            error = "The internal identity is missing or malformed.";
            return false;
        }

        byte[] presented;
        try
        {
            presented = Base64Url.DecodeFromChars(parts[4]);
        }
        catch (FormatException)
        {
            error = "The internal identity signature is malformed.";
            return false;
        }

        var signed = string.Join('.', parts[..4]);
        if (!CryptographicOperations.FixedTimeEquals(presented, Mac(key, signed, method, path)))
        {
            error = "The internal identity signature does not match.";
            return false;
        }

        var unixNow = now.ToUnixTimeSeconds();
        if (expires < unixNow || issued > unixNow + SkewSeconds)
        {
            error = "The internal identity has expired.";
            return false;
        }

        caller = JsonSerializer.Deserialize<Caller>(Base64Url.DecodeFromChars(parts[1]));
        error = "";
        return caller is not null;
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

    // One keyed HMAC per thread, reset after each use: this runs on every proxied request, and
    // building a fresh HMAC context each time costs more than the hashing itself.
    [ThreadStatic] private static (byte[] Key, IncrementalHash Hmac)? _threadHmac;

    private static byte[] Mac(byte[] key, string signed, string method, string path)
    {
        if (_threadHmac is not { } cached || !ReferenceEquals(cached.Key, key))
        {
            _threadHmac?.Hmac.Dispose();
            cached = (key, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
            _threadHmac = cached;
        }

        var hmac = cached.Hmac;
        hmac.AppendData(Encoding.UTF8.GetBytes(signed));
        hmac.AppendData("\n"u8);
        hmac.AppendData(Encoding.UTF8.GetBytes(method.ToUpperInvariant()));
        hmac.AppendData("\n"u8);
        hmac.AppendData(Encoding.UTF8.GetBytes(path));
        return hmac.GetHashAndReset();
    }
}
