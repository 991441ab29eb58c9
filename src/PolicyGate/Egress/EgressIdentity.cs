using System.Net;
using PolicyGate.Core.Policy;
using PolicyGate.Configuration;
using PolicyGate.Core.Policy.Egress;
using PolicyGate.Edge;
using PolicyGate.Store;

namespace PolicyGate.Egress;

/// <summary>
/// Names the caller (DESIGN §8): the registered instance whose address is the socket peer, else the Proxy-Authorization
/// Basic user when its password matches that container's egress credential or the peer is in
/// egress.trusted_identity_sources, else unknown-&lt;ip&gt;. The address map is rebuilt only when the directory snapshot changes.
/// </summary>
public sealed class EgressIdentity(IServiceProvider services)
{
    private readonly IInstanceDirectory _directory = services.GetRequiredService<IInstanceDirectory>();
    private readonly EgressCredentials _credentials = services.GetRequiredService<EgressCredentials>();
    private readonly TrustedProxySet _trustedSources = TrustedProxySet.Parse(
        services.GetRequiredService<PolicyGateOptions>() is { } options ? options.Egress.EffectiveTrustedIdentitySources(options.IsProduction) : []);
    private AddressMap? _cache;

    public EgressCaller Identify(IPAddress? peer, string? proxyUser, string? proxyPassword)
    {
        if (peer is not null && peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }

        if (peer is not null && ByAddress(_directory.Current).TryGetValue(peer, out InstanceRecord? instance))
        {
            return new EgressCaller(instance.InstanceId, instance.AppId);
        }

        if (!string.IsNullOrEmpty(proxyUser) && (_trustedSources.Contains(peer) || _credentials.Verify(proxyUser, proxyPassword)))
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
