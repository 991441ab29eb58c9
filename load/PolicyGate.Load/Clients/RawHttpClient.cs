using System.Text;

namespace PolicyGate.Load.Clients;

/// <summary>HTTP/1.1 written and parsed by hand over Socket/SslStream: the least client CPU per request.</summary>
public sealed class RawHttpClient(ClientTarget target, RawConnectionMode mode) : ILoadClient
{
    private readonly byte[] _request = BuildRequest(target, mode);
    private readonly byte[]? _connect = mode == RawConnectionMode.Tunnel
        ? Encoding.ASCII.GetBytes($"CONNECT {target.ConnectAuthority} HTTP/1.1\r\nHost: {target.ConnectAuthority}\r\n\r\n")
        : null;

    public ILoadConnection CreateConnection() => new RawHttpConnection(target, mode, _request, _connect);

    private static byte[] BuildRequest(ClientTarget target, RawConnectionMode mode)
    {
        string host = mode == RawConnectionMode.Tunnel ? target.ConnectAuthority ?? target.EffectiveHost : target.EffectiveHost;
        string connection = mode == RawConnectionMode.KeepAlive ? "keep-alive" : "close";
        return Encoding.ASCII.GetBytes($"GET {target.Path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: policygate-load\r\nAccept: */*\r\nConnection: {connection}\r\n\r\n");
    }
}
