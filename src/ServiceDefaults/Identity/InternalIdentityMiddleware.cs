using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Send.ServiceDefaults.Errors;

namespace Send.ServiceDefaults.Identity;

/// <summary>
/// Refuses any request that does not carry a valid identity signed by the Gateway, so a
/// service reached directly (past the Gateway) serves nothing. Probes and the OpenAPI document
/// stay open: they hold no tenant data and the cluster needs them. Under Dapr, the sidecar's own
/// calls (event deliveries) authenticate with the app API token instead.
/// </summary>
public sealed class InternalIdentityMiddleware(RequestDelegate next, IOptions<InternalIdentityOptions> options, TimeProvider clock, ILogger<InternalIdentityMiddleware> logger)
{
    public const string DaprApiTokenHeader = "dapr-api-token";
    private static readonly Caller DaprSidecar = Caller.ForService("dapr");

    private readonly byte[] _key = InternalIdentityToken.KeyFromSecret(options.Value.Secret);
    private readonly byte[]? _daprToken = string.IsNullOrEmpty(options.Value.DaprAppApiToken) ? null : Encoding.UTF8.GetBytes(options.Value.DaprAppApiToken);

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsOpenPath(context.Request.Path))
        {
            await next(context);
            return;
        }

        var token = context.Request.Headers[InternalIdentityToken.HeaderName].ToString();
        if (token.Length == 0 && IsDaprSidecar(context.Request))
        {
            context.Features.Set(DaprSidecar);
            await next(context);
            return;
        }

        if (!InternalIdentityToken.TryVerify(token, context.Request.Method, context.Request.Path.Value ?? "/", _key, clock.GetUtcNow(), out var caller, out var error))
        {
            logger.LogWarning("Refused {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, error);
            await Problems.Of(StatusCodes.Status401Unauthorized, ProblemNames.MissingInternalIdentity,
                    $"{error} Call Send through its Gateway.")
                .ExecuteAsync(context);
            return;
        }

        context.Features.Set(caller);
        await next(context);
    }

    private bool IsDaprSidecar(HttpRequest request) =>
        _daprToken is not null
        && request.Headers[DaprApiTokenHeader].ToString() is { Length: > 0 } presented
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _daprToken);

    private static bool IsOpenPath(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/openapi");
}
