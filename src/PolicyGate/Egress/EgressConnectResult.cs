using System.Net.Sockets;

namespace PolicyGate.Egress;

/// <summary>Outcome of resolving, guarding and connecting: a socket, or the status and message to answer.</summary>
public sealed record EgressConnectResult(Socket? Socket, int Status = 200, string Message = "")
{
    public static EgressConnectResult Fail(int status, string message) => new(null, status, message);
}
