using System.Net.Sockets;
using System.Text;

namespace PolicyGate.Operations;

/// <summary>Sends sd_notify datagrams (`WATCHDOG=1`, `READY=1`) to $NOTIFY_SOCKET; `@name` is the abstract namespace.</summary>
public sealed class SystemdNotifySocket(string path) : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _endPoint = new(path.StartsWith('@') ? "\0" + path[1..] : path);

    public string Path { get; } = path;

    public void Send(string state) => _socket.SendTo(Encoding.ASCII.GetBytes(state), _endPoint);

    public void Dispose() => _socket.Dispose();
}
