using Send.Gateway.Authentication;
using Send.ServiceDefaults.Identity;
using Yarp.ReverseProxy.Transforms;

namespace Send.Gateway.Proxy;

/// <summary>
/// What the Gateway tells a service about the caller: a signed identity instead of the raw key.
/// Whatever a client sent under the identity header is dropped first, so it can never be forged.
/// </summary>
public static class IdentityForwarding
{
    public static ValueTask ApplyAsync(RequestTransformContext context)
    {
        var headers = context.ProxyRequest.Headers;
        headers.Remove(InternalIdentityToken.HeaderName);
        // Services never need the secret itself; not forwarding it keeps it out of their logs.
        headers.Remove("Authorization");

        var encodedCaller = context.HttpContext.Features.Get<AuthenticatedCaller>()?.EncodedCaller
            ?? context.HttpContext.Features.Get<AnonymousCaller>()?.EncodedCaller;
        if (encodedCaller is not null)
        {
            var signer = context.HttpContext.RequestServices.GetRequiredService<InternalIdentitySigner>();
            headers.Add(InternalIdentityToken.HeaderName, signer.Sign(encodedCaller, context.HttpContext.Request.Method, context.Path.Value ?? "/"));
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Removes a client-sent identity header before anything in the Gateway can read it.</summary>
    public static IApplicationBuilder UseInternalIdentityStripping(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Request.Headers.Remove(InternalIdentityToken.HeaderName);
            return next(context);
        });
}
