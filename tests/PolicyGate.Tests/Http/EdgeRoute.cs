using PolicyGate.Core.Policy;

namespace PolicyGate.Tests.Http;

/// <summary>The routing decision the stand-in edge attaches to every connection it accepts.</summary>
internal sealed record EdgeRoute(InstanceRecord Instance, int Port, bool Http2 = false, bool Pp = false, bool PeerIsTrustedProxy = false, int ProxyHeaderVersion = 2)
{
    public const string InstanceId = "inst-1";

    /// <summary>Instance `inst-1` of app `myapp` on 127.0.0.1 whose policy lists exactly this port (http, with the given pp flag).</summary>
    public static EdgeRoute To(int backendPort, bool pp = false, bool http2 = false, bool trustedPeer = false, int proxyHeaderVersion = 2)
    {
        InstanceRecord instance = new()
        {
            InstanceId = InstanceId,
            AppId = "myapp",
            Address = "127.0.0.1",
            LastSeen = DateTimeOffset.UtcNow,
            InstanceReported = new PortPolicy([new PortRule(backendPort, pp, "http")], restrictMode: true),
        };
        return new EdgeRoute(instance, backendPort, http2, pp, trustedPeer, proxyHeaderVersion);
    }
}
