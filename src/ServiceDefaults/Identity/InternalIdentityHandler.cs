using Microsoft.Extensions.Hosting;

namespace Send.ServiceDefaults.Identity;

/// <summary>
/// Signs outgoing service-to-service calls as the calling service itself, so internal routes
/// (for example the Gateway's key lookups) pass the same check as forwarded client traffic.
/// </summary>
public sealed class InternalIdentityHandler(InternalIdentitySigner signer, IHostEnvironment environment) : DelegatingHandler
{
    private readonly Caller _self = Caller.ForService(environment.ApplicationName);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The receiving service checks the decoded path, as ASP.NET Core presents it.
        var path = Uri.UnescapeDataString(request.RequestUri?.AbsolutePath ?? "/");
        request.Headers.Remove(InternalIdentityToken.HeaderName);
        request.Headers.Add(InternalIdentityToken.HeaderName, signer.Sign(_self, request.Method.Method, path));
        return base.SendAsync(request, cancellationToken);
    }
}
