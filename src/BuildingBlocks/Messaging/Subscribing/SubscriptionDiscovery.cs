using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Send.ServiceDefaults.Identity;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// Finds the app and what it subscribes to exactly as daprd does: over HTTP, by asking the
/// running app's <c>/dapr/subscribe</c>. The transport thereby depends on the documented
/// contract only, not on how the app declares its endpoints.
/// </summary>
public sealed class SubscriptionDiscovery(IServer server, InternalIdentitySigner signer, IOptions<DeliveryOptions> options)
{
    public const string SubscribePath = "/dapr/subscribe";

    /// <summary>The configured address, or the first one Kestrel listens on, with wildcards made loopback.</summary>
    public Uri AppAddress()
    {
        if (options.Value.AppAddress is { } configured)
        {
            return configured;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The app listens on no address; set Messaging:Delivery:AppAddress.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "localhost" or "0.0.0.0")
        {
            uri.Host = "127.0.0.1";
        }
        else if (uri.Host is "[::]" or "::")
        {
            uri.Host = "[::1]";
        }

        return uri.Uri;
    }

    /// <returns>The app's subscriptions; none when it maps no subscribe handler (404).</returns>
    public async Task<IReadOnlyList<Subscription>> DiscoverAsync(Uri app, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(app, SubscribePath));
        request.Headers.TryAddWithoutValidation(InternalIdentityToken.HeaderName,
            signer.Sign(Caller.ForService(EventDeliverer.TransportIdentity), "GET", SubscribePath));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        return Subscription.ParseAll(await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
