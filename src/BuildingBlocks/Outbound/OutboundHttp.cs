using System.Net;
using System.Net.Sockets;

namespace Send.BuildingBlocks.Outbound;

/// <summary>Send refused to connect: the URL leads to an address <see cref="OutboundAddressPolicy"/> refuses.</summary>
public sealed class OutboundRefusedException(string message) : HttpRequestException(message)
{
    /// <summary>The refusal behind a failed request: HttpClient wraps what the connect callback throws.</summary>
    public static OutboundRefusedException? In(Exception? failure)
    {
        for (; failure is not null; failure = failure.InnerException)
        {
            if (failure is OutboundRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}

/// <summary>
/// HTTP clients for customer-supplied URLs. The address is checked where the connection is
/// made, after DNS resolution, and the socket connects to exactly the address checked: a name
/// that resolves to a public address for the check and to 169.254.169.254 for the connection
/// (DNS rebinding) cannot get through, and neither can a redirect to a refused address, since
/// every hop connects through the same check.
/// </summary>
public static class OutboundHttp
{
    public static HttpClient CreateClient(OutboundOptions options, bool followRedirects) =>
        new(CreateHandler(options, followRedirects)) { Timeout = options.Timeout };

    public static SocketsHttpHandler CreateHandler(OutboundOptions options, bool followRedirects) => new()
    {
        AllowAutoRedirect = followRedirects,
        MaxAutomaticRedirections = 3,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, options, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, OutboundOptions options, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{endpoint.Host} has no address.");
        }

        // Every address the name has must be allowed: otherwise which one we reach is the resolver's choice.
        if (addresses.Select(a => OutboundAddressPolicy.Refusal(a, options)).FirstOrDefault(r => r is not null) is { } refusal)
        {
            throw new OutboundRefusedException($"{endpoint.Host}: {refusal}");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
