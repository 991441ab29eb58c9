using System.Net;
using System.Net.NetworkInformation;
using PolicyGate.Configuration;
using PolicyGate.Operations;

namespace PolicyGate.Egress;

/// <summary>Knows PolicyGate's own listener endpoints (wildcard binds cover loopback and every local address); egress never connects to them.</summary>
public sealed class EgressSelfGuard
{
    private readonly HashSet<IPEndPoint> _own = [];
    private readonly HashSet<int> _wildcardPorts = [];
    private readonly HashSet<IPAddress> _local = [];

    public EgressSelfGuard(PolicyGateOptions options)
    {
        foreach (IPEndPoint endPoint in ListenerSetup.OwnEndpoints(options))
        {
            if (endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                _wildcardPorts.Add(endPoint.Port);
            }
            else
            {
                _own.Add(Normalize(endPoint.Address, endPoint.Port));
            }
        }

        if (_wildcardPorts.Count > 0)
        {
            foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                _local.UnionWith(nic.GetIPProperties().UnicastAddresses.Select(u => Normalize(u.Address, 0).Address));
            }
        }
    }

    public bool IsSelf(IPAddress address, int port)
    {
        IPEndPoint target = Normalize(address, port);
        return _own.Contains(target)
            || (_wildcardPorts.Contains(port) && (IPAddress.IsLoopback(target.Address) || target.Address.Equals(IPAddress.Any)
                || target.Address.Equals(IPAddress.IPv6Any) || _local.Contains(target.Address)));
    }

    private static IPEndPoint Normalize(IPAddress address, int port) => new(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, port);
}
