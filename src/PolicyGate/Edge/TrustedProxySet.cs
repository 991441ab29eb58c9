using System.Net;

namespace PolicyGate.Edge;

/// <summary>The edge.trusted_proxies CIDRs: who may send a PROXY header (IPv4-mapped IPv6 peers match their IPv4 ranges).</summary>
public sealed class TrustedProxySet
{
    private readonly IPNetwork[] _networks;

    private TrustedProxySet(IPNetwork[] networks) => _networks = networks;

    /// <summary>Parses CIDRs (a bare address means a single host); throws <see cref="FormatException"/> naming the bad entry.</summary>
    public static TrustedProxySet Parse(IEnumerable<string> cidrs)
    {
        List<IPNetwork> networks = [];
        foreach (string cidr in cidrs)
        {
            string text = cidr.Trim();
            if (IPNetwork.TryParse(text, out IPNetwork network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(text, out IPAddress? address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FormatException($"edge.trusted_proxies: '{cidr}' is not a CIDR (e.g. 10.0.0.0/8)");
            }
        }

        return new TrustedProxySet(networks.ToArray());
    }

    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (IPNetwork network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
