using System.Globalization;
using System.Text.RegularExpressions;

namespace Send.EmailService.Domains;

/// <summary>
/// A real, fully qualified domain name: IDN accepted and stored as punycode, lower-case, at
/// least two labels, each 1–63 letters, digits or hyphens (not at either end), 253 characters
/// at most, a TLD that is not all digits. Addresses, IPs and URLs are refused by name.
/// </summary>
public static partial class DomainNames
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    public static bool TryNormalize(string? input, out string ascii, out string problem)
    {
        ascii = "";
        problem = "";
        var value = input?.Trim().TrimEnd('.');
        if (string.IsNullOrEmpty(value))
        {
            problem = "Required: a domain name like example.com.";
            return false;
        }

        if (value.Contains('@', StringComparison.Ordinal) || value.Contains("://", StringComparison.Ordinal) || value.Contains('/', StringComparison.Ordinal))
        {
            problem = "A domain name only, like example.com (not an address or URL).";
            return false;
        }

        try
        {
            ascii = Idn.GetAscii(value).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            problem = "Not a valid domain name.";
            return false;
        }

        var labels = ascii.Split('.');
        if (ascii.Length > 253 || labels.Length < 2 || !labels.All(l => Label().IsMatch(l)) || labels[^1].All(char.IsAsciiDigit))
        {
            problem = "Not a valid domain name: it needs at least two labels of letters, digits and inner hyphens, and a real top-level domain.";
            return false;
        }

        return true;
    }

    /// <summary>A return-path subdomain label like <c>send</c> or <c>bounces</c>.</summary>
    public static bool IsLabel(string value) => Label().IsMatch(value);

    [GeneratedRegex("^(?!-)[a-z0-9-]{1,63}(?<!-)$")]
    private static partial Regex Label();
}
