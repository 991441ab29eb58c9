using System.Net;
using PolicyGate.Core.Policy;
using PolicyGate.Core.Policy.Egress;
using PolicyGate.Store;

namespace PolicyGate.Egress;

/// <summary>
/// Names the caller (DESIGN §8): the registered instance whose address is the socket peer, else the Proxy-Authorization
/// Basic user, else unknown-&lt;ip&gt;. The address map is rebuilt only when the directory snapshot changes.
/// </summary>
public sealed class EgressIdentity(IInstanceDirectory directory)
{
    private AddressMap? _cache;

    public EgressCaller Identify(IPAddress? peer, string? proxyUser)
    {
        if (peer is not null && peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }

        if (peer is not null && ByAddress(directory.Current).TryGetValue(peer, out InstanceRecord? instance))
        {
            return new EgressCaller(instance.InstanceId, instance.AppId);
        }

        if (!string.IsNullOrEmpty(proxyUser))
        {
            return new EgressCaller(proxyUser);
        }

        return new EgressCaller("unknown-" + (peer?.ToString() ?? "none"));
    }

    private Dictionary<IPAddress, InstanceRecord> ByAddress(InstanceSnapshot snapshot)
    {
        AddressMap? cache = Volatile.Read(ref _cache);
        if (cache is not null && ReferenceEquals(cache.Snapshot, snapshot))
        {
            return cache.ByAddress;
        }

        Dictionary<IPAddress, InstanceRecord> map = [];
        foreach (InstanceRecord instance in snapshot.Instances.OrderBy(i => i.LastSeen))
        {
            if (IPAddress.TryParse(instance.Address, out IPAddress? address))
            {
                map[address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address] = instance;
            }
        }

        Volatile.Write(ref _cache, new AddressMap(snapshot, map));
        return map;
    }

    private sealed record AddressMap(InstanceSnapshot Snapshot, Dictionary<IPAddress, InstanceRecord> ByAddress);
}
