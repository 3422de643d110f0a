using Send.BuildingBlocks.ApiKeys;
using Send.Gateway.RateLimiting;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;
using Yarp.ReverseProxy.Model;

namespace Send.Gateway.Authentication;

/// <summary>
/// Runs for every proxied route: turns <c>Authorization: Bearer do_…</c> into a verified
/// <see cref="Caller"/> or answers with Resend's errors — 401 <c>missing_api_key</c> when there
/// is no key, 403 <c>invalid_api_key</c> when it does not check out.
/// </summary>
public sealed class ApiKeyAuthenticationMiddleware(RequestDelegate next, ApiKeyDirectory keys, TimeProvider clock, ILogger<ApiKeyAuthenticationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var token = BearerToken(context.Request);
        if (token is null)
        {
            await Refuse(context, StatusCodes.Status401Unauthorized, ProblemNames.MissingApiKey,
                "Missing API key in the authorization header. Send `Authorization: Bearer do_live_…`.");
            return;
        }

        if (!ApiKeyToken.TryParse(token, out _, out var prefix))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, ProblemNames.InvalidApiKey, "API key is invalid.");
            return;
        }

        IReadOnlyList<KeyCandidate> candidates;
        try
        {
            candidates = await keys.FindAsync(prefix, context.RequestAborted);
        }
        catch (HttpRequestException ex)
        {
            // Fail closed: without the source of truth no key is accepted.
            logger.LogError(ex, "KeyService is unreachable; refusing key {Prefix}…", prefix);
            await Refuse(context, StatusCodes.Status503ServiceUnavailable, ProblemNames.ServiceUnavailable,
                "API keys cannot be verified right now. Retry shortly.");
            return;
        }

        var key = ApiKeyVerifier.Match(token, candidates);
        var failure = key switch
        {
            null => "API key is invalid.",
            { Status: not KeyCandidate.ActiveStatus } => $"API key is {key.Status}.",
            { ExpiresAt: { } expiresAt } when expiresAt <= clock.GetUtcNow() => "API key has expired.",
            _ => null,
        };
        if (failure is not null)
        {
            await Refuse(context, StatusCodes.Status403Forbidden, ProblemNames.InvalidApiKey, failure);
            return;
        }

        if (!key!.Services.Contains(RateLimitMiddleware.ServiceName))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, ProblemNames.RestrictedApiKey,
                $"This API key is not enabled for the '{RateLimitMiddleware.ServiceName}' service.");
            return;
        }

        if (!IpAllowlist.Permits(key!.AllowedCidrs, context.Connection.RemoteIpAddress))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, ProblemNames.RestrictedApiKey,
                "This API key may not be used from this IP address.");
            return;
        }

        // A route without a configured permission is refused rather than left open by mistake.
        var required = RoutePermissions.Required(context);
        if (required is null || !key!.Permissions.Contains(required))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, ProblemNames.RestrictedApiKey,
                required is null
                    ? "This route has no permission configured; refusing by default."
                    : $"This API key is restricted: {context.Request.Method} {context.Request.Path} needs the '{required}' permission.");
            return;
        }

        var authenticated = AuthenticatedCaller.For(key, prefix);
        context.Features.Set(authenticated);
        context.Features.Set(authenticated.Caller);
        await next(context);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }

    private static Task Refuse(HttpContext context, int status, string name, string detail) =>
        Problems.Of(status, name, detail).ExecuteAsync(context);
}

public static class ApiKeyAuthenticationExtensions
{
    /// <summary>
    /// The Gateway's front door on every proxied route: who is calling, then how often. Routes
    /// marked unauthenticated (<see cref="RouteAccess"/>) get a per-address limit instead.
    /// </summary>
    public static IReverseProxyApplicationBuilder UseApiKeyAuthentication(this IReverseProxyApplicationBuilder proxy)
    {
        var callbacks = proxy.ApplicationServices.GetRequiredService<CallbackRateLimiter>();
        proxy.UseWhen(RouteAccess.IsAnonymous, anonymous => anonymous.Use(callbacks.InvokeAsync));
        if (FrontDoorSwitch.IsEnabled(proxy.ApplicationServices))
        {
            proxy.UseWhen(context => !RouteAccess.IsAnonymous(context), keyed =>
            {
                keyed.UseMiddleware<ApiKeyAuthenticationMiddleware>();
                keyed.UseMiddleware<RateLimitMiddleware>();
            });
        }

        return proxy;
    }
}
