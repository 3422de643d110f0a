namespace Send.EventService.Ingestion.Ses;

/// <summary>
/// Whether a URL an SNS message names (its signing certificate, its subscription URL) may be
/// fetched: https only, no user info, and a host matching one pattern, where <c>*</c> stands for
/// exactly one DNS label. A non-default port is part of what must match.
/// </summary>
public static class HostAllowlist
{
    public static bool Permits(string? url, IEnumerable<string> patterns)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || uri.UserInfo.Length > 0)
        {
            return false;
        }

        var authority = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
        return patterns.Any(pattern => Matches(authority.ToLowerInvariant(), pattern.Trim().ToLowerInvariant()));
    }

    private static bool Matches(string authority, string pattern)
    {
        var labels = authority.Split('.');
        var wanted = pattern.Split('.');
        if (labels.Length != wanted.Length)
        {
            return false;
        }

        for (var i = 0; i < labels.Length; i++)
        {
            var matches = wanted[i] == "*"
                ? labels[i].Length > 0 && labels[i].All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                : labels[i] == wanted[i];
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }
}
