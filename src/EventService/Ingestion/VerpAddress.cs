using System.Text.RegularExpressions;

namespace Send.EventService.Ingestion;

/// <summary>
/// Send's return path names the email it belongs to: <c>bounces+{email id}@{return path}.{domain}</c>
/// (EmailService's <c>SenderIdentity</c>). Whatever comes back to that address, or repeats it,
/// tells which email it is about.
/// </summary>
public static partial class VerpAddress
{
    /// <summary>Send's email id in <paramref name="address"/> (a bare address or a "Name &lt;address&gt;" mailbox), or null.</summary>
    public static string? EmailId(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        var match = Pattern().Match(address);
        return match.Success ? match.Groups["id"].Value.ToLowerInvariant() : null;
    }

    [GeneratedRegex(@"(?:^|[<\s;:,])bounces\+(?<id>send_[0-9a-z]{26})@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
