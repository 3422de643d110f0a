using System.Net;
using System.Net.Sockets;

namespace Send.BuildingBlocks.Outbound;

/// <summary>
/// Which addresses a customer-supplied URL may reach. Refused: loopback, private (RFC 1918, IPv6
/// unique-local), link-local (with the cloud metadata service at 169.254.169.254 and fd00:ec2::254),
/// CGNAT (100.64.0.0/10), "this network", multicast, reserved and documentation ranges, and
/// IPv4 hidden in IPv6 (mapped, NAT64) when the IPv4 address is refused.
/// </summary>
public static class OutboundAddressPolicy
{
    private static readonly (IPAddress Network, int Prefix)[] RefusedV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8), (IPAddress.Parse("10.0.0.0"), 8), (IPAddress.Parse("100.64.0.0"), 10), (IPAddress.Parse("127.0.0.0"), 8),
        (IPAddress.Parse("169.254.0.0"), 16), (IPAddress.Parse("172.16.0.0"), 12), (IPAddress.Parse("192.0.0.0"), 24), (IPAddress.Parse("192.0.2.0"), 24),
        (IPAddress.Parse("192.168.0.0"), 16), (IPAddress.Parse("198.18.0.0"), 15), (IPAddress.Parse("198.51.100.0"), 24), (IPAddress.Parse("203.0.113.0"), 24),
        (IPAddress.Parse("224.0.0.0"), 4), (IPAddress.Parse("240.0.0.0"), 4),
    ];

    private static readonly (IPAddress Network, int Prefix)[] RefusedV6 =
    [
        (IPAddress.Parse("::"), 127), (IPAddress.Parse("fc00::"), 7), (IPAddress.Parse("fe80::"), 10), (IPAddress.Parse("fec0::"), 10),
        (IPAddress.Parse("ff00::"), 8), (IPAddress.Parse("2001:db8::"), 32), (IPAddress.Parse("100::"), 64),
    ];

    private static readonly (IPAddress Network, int Prefix) Nat64 = (IPAddress.Parse("64:ff9b::"), 96);

    /// <returns>Null when the address may be reached, otherwise why not.</returns>
    public static string? Refusal(IPAddress address, OutboundOptions options)
    {
        if (options.AllowPrivateNetworks || options.Allowed.Contains(address))
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return Refusal(address.MapToIPv4(), options);
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && InRange(address, Nat64))
        {
            var bytes = address.GetAddressBytes();
            return Refusal(new IPAddress(bytes[12..]), options);
        }

        var ranges = address.AddressFamily == AddressFamily.InterNetwork ? RefusedV4 : RefusedV6;
        return ranges.Any(range => InRange(address, range)) ? $"{address} is not a public internet address." : null;
    }

    private static bool InRange(IPAddress address, (IPAddress Network, int Prefix) range)
    {
        if (address.AddressFamily != range.Network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = range.Network.GetAddressBytes();
        var bits = range.Prefix;
        for (var i = 0; bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
