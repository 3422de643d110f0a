namespace Send.Gateway.Authentication;

/// <summary>
/// Whether a route takes requests without an API key: only when its configuration says so in
/// so many words (<c>"Authentication": "none"</c>), which today only the provider callbacks do.
/// Every other route, including one with a misspelt marker, stays behind the key check.
/// </summary>
public static class RouteAccess
{
    public const string AuthenticationKey = "Authentication";
    public const string NoAuthentication = "none";

    public static bool IsAnonymous(HttpContext context)
    {
        var metadata = context.GetReverseProxyFeature().Route.Config.Metadata;
        return metadata is not null
            && metadata.TryGetValue(AuthenticationKey, out var value)
            && string.Equals(value, NoAuthentication, StringComparison.Ordinal);
    }
}
