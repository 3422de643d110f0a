using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Secrets;
using Send.EmailService.Sending;

namespace Send.EmailService.Feedback;

/// <summary>
/// One-click unsubscribe (RFC 8058) run by Send: a send with <c>unsubscribe: true</c> carries
/// <c>List-Unsubscribe: &lt;{PublicBaseUrl}/unsubscribe/{token}&gt;</c> and
/// <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>; the token is the email's id sealed
/// with the installation's key, so it cannot be guessed or altered, and a POST to it puts the
/// recipient on the organization's suppression list. One recipient per email: a link names
/// whoever clicks it, and with several recipients Send could not tell who that was.
/// </summary>
public sealed class UnsubscribeLinks(SecretBox secrets, IOptions<SendingOptions> options)
{
    public const string HeaderName = "List-Unsubscribe";
    public const string PostHeaderName = "List-Unsubscribe-Post";
    private const string Purpose = "unsubscribe";

    /// <returns>The headers to add, or why the email cannot have them.</returns>
    public (Dictionary<string, string>? Headers, string? Problem) HeadersFor(string emailId, int recipients, IReadOnlyDictionary<string, string> headers)
    {
        if (options.Value.PublicBaseUrl is not { } baseUrl)
        {
            return (null, "One-click unsubscribe is not set up on this installation (Sending:PublicBaseUrl); add your own List-Unsubscribe header instead.");
        }

        if (recipients != 1)
        {
            return (null, $"One-click unsubscribe needs exactly one recipient (this email has {recipients}); send one email per recipient.");
        }

        if (headers.Keys.Any(h => h.Equals(HeaderName, StringComparison.OrdinalIgnoreCase) || h.Equals(PostHeaderName, StringComparison.OrdinalIgnoreCase)))
        {
            return (null, "Give either your own List-Unsubscribe header or unsubscribe: true, not both.");
        }

        var link = new Uri(baseUrl, $"unsubscribe/{ToUrlSafe(secrets.Seal(emailId, Purpose))}");
        return (new Dictionary<string, string> { [HeaderName] = $"<{link.AbsoluteUri}>", [PostHeaderName] = "List-Unsubscribe=One-Click" }, null);
    }

    /// <returns>The email id the token was made for, or null when it is not one of ours.</returns>
    public string? EmailIdOf(string token)
    {
        try
        {
            return secrets.Open(FromUrlSafe(token), Purpose);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    // A sealed value is base64 with '.' separators; '/' must not reach a URL path (%2F stays escaped in routes).
    private static string ToUrlSafe(string sealedValue) => sealedValue.Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private static string FromUrlSafe(string token)
    {
        var value = token.Replace('-', '+').Replace('_', '/');
        return value.PadRight(value.Length + ((4 - (value.Length - value.LastIndexOf('.') - 1) % 4) % 4), '=');
    }
}
