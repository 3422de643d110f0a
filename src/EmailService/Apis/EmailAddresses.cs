using System.Globalization;
using MimeKit;

namespace Send.EmailService.Apis;

/// <summary>
/// Address checks stricter than a parser's: one mailbox (<c>addr</c> or <c>Name &lt;addr&gt;</c>),
/// an ASCII local part (SMTPUTF8 is refused clearly rather than bounced later), and a domain
/// with at least two labels; international domain names are accepted and sent as punycode.
/// </summary>
public static class EmailAddresses
{
    private static readonly IdnMapping Idn = new();

    public static bool TryParse(string value, out MailboxAddress? mailbox, out string problem)
    {
        mailbox = null;
        problem = "";
        if (value.Length > 320 || value.Any(char.IsControl))
        {
            problem = "Not a valid email address: too long or contains control characters.";
            return false;
        }

        if (!MailboxAddress.TryParse(ParserOptions.Default, value, out var parsed) || parsed.Address.Count(c => c == '@') != 1)
        {
            problem = $"'{value}' is not a valid email address (expected user@example.com or Name <user@example.com>).";
            return false;
        }

        var at = parsed.Address.LastIndexOf('@');
        var local = parsed.Address[..at];
        var domain = parsed.Address[(at + 1)..];
        if (local.Length is 0 or > 64 || local.Any(c => c > 127))
        {
            problem = $"'{value}': the part before @ must be 1 to 64 ASCII characters (internationalized local parts are not supported).";
            return false;
        }

        string asciiDomain;
        try
        {
            asciiDomain = Idn.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            problem = $"'{value}': '{domain}' is not a valid domain.";
            return false;
        }

        var labels = asciiDomain.Split('.');
        if (asciiDomain.Length > 253 || labels.Length < 2 || labels.Any(l => l.Length is 0 or > 63 || l.StartsWith('-') || l.EndsWith('-')
            || !l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            problem = $"'{value}': '{domain}' is not a valid domain.";
            return false;
        }

        mailbox = new MailboxAddress(parsed.Name, $"{local}@{asciiDomain}");
        return true;
    }
}
