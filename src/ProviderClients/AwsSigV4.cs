using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace Send.ProviderClients;

/// <summary>
/// AWS Signature Version 4 for one HTTP request. The canonical request is built here (method,
/// URI path, sorted query, lower-cased trimmed headers, payload hash); the key derivation and
/// HMACs are AWSSDK.Core's own (<see cref="AWS4Signer.ComputeSignature(ImmutableCredentials, string, DateTime, string, string, string)"/>).
/// Checked against AWS's published SigV4 test-suite vectors.
/// </summary>
public static class AwsSigV4
{
    public const string DateHeader = "x-amz-date";

    /// <summary>The headers to add: <c>x-amz-date</c>, <c>x-amz-content-sha256</c> when asked, the session token, and <c>Authorization</c>.</summary>
    public static Dictionary<string, string> Sign(
        HttpMethod method, Uri uri, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> payload,
        ImmutableCredentials credentials, string region, string service, DateTime signedAt, bool includeContentHash = false)
    {
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(payload));
        var added = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [DateHeader] = signedAt.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture),
        };
        if (includeContentHash)
        {
            added["x-amz-content-sha256"] = payloadHash;
        }

        if (!string.IsNullOrEmpty(credentials.Token))
        {
            added["x-amz-security-token"] = credentials.Token;
        }

        var all = headers.Concat(added).Append(new KeyValuePair<string, string>("host", HostOf(uri)))
            .GroupBy(h => h.Key.ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(';', all.Select(g => g.Key));
        var canonicalHeaders = string.Concat(all.Select(g => $"{g.Key}:{string.Join(',', g.Select(h => TrimValue(h.Value)))}\n"));
        var canonicalRequest = string.Join('\n', method.Method.ToUpperInvariant(), CanonicalPath(uri), CanonicalQuery(uri), canonicalHeaders, signedHeaders, payloadHash);

        var result = AWS4Signer.ComputeSignature(credentials, region, signedAt.ToUniversalTime(), service, signedHeaders, canonicalRequest);
        added["Authorization"] = result.ForAuthorizationHeader;
        return added;
    }

    /// <summary>The URI path with each segment percent-encoded once (as SES and most services sign it; S3 differs).</summary>
    public static string CanonicalPath(Uri uri)
    {
        var path = uri.AbsolutePath;
        return path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));
    }

    public static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(p => (Key: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
    }

    private static string HostOf(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";

    /// <summary>Leading and trailing spaces removed, inner runs of spaces collapsed to one (SigV4's rule).</summary>
    private static string TrimValue(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>RFC 3986 percent-encoding of everything but the unreserved characters.</summary>
    private static string Encode(string value)
    {
        var result = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                result.Append(c);
            }
            else
            {
                result.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }
}
