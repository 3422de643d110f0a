using System.Net;

namespace Send.BuildingBlocks.Outbound;

/// <summary>
/// <c>Outbound:*</c>: where Send may connect on a customer's behalf (attachment URLs, webhook
/// endpoints). By default only public internet addresses.
/// </summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>Development only: also loopback and private networks (a webhook receiver on localhost).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Single addresses allowed although private (an internal file server an operator vouches for).</summary>
    public List<string> AllowedAddresses { get; set; } = [];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    internal HashSet<IPAddress> Allowed => [.. AllowedAddresses.Select(IPAddress.Parse)];
}
