using System.Net;

namespace Send.Gateway.Authentication;

public static class IpAllowlist
{
    /// <summary>An empty list allows every address; otherwise the caller must be inside one range.</summary>
    public static bool Permits(IReadOnlyList<string> cidrs, IPAddress? remote)
    {
        if (cidrs.Count == 0)
        {
            return true;
        }

        if (remote is null)
        {
            return false;
        }

        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        return cidrs.Any(c => IPNetwork.TryParse(c, out var network) && network.Contains(address));
    }
}
