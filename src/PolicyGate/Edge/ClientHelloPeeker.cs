using System.Buffers;
using System.IO.Pipelines;
using PolicyGate.Core.ProxyProtocol;
using PolicyGate.Core.Tls;

namespace PolicyGate.Edge;

/// <summary>Step 2 (DESIGN §4.2): waits for the whole ClientHello without consuming it and returns its server name and ALPN list.</summary>
internal static class ClientHelloPeeker
{
    /// <summary>The SNI host name, or a denial (not TLS, no SNI, too large, timeout, a PROXY header from a peer not allowed to send one).</summary>
    public static async ValueTask<(ClientHelloInfo? Hello, EdgeDenial? Denial)> PeekAsync(PipeReader input, CancellationToken deadline)
    {
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(deadline);
            }
            catch (OperationCanceledException)
            {
                return (null, new EdgeDenial(EdgeConstants.ReasonBadSni, "no complete ClientHello within edge.timeouts.handshake"));
            }

            ReadOnlySequence<byte> buffer = read.Buffer;
            ClientHelloResult hello = ClientHelloParser.Parse(buffer);
            // Examined up to the end (so the next read waits for more) but nothing consumed: the bytes are replayed later.
            input.AdvanceTo(buffer.Start, hello.Status == ClientHelloStatus.Incomplete ? buffer.End : buffer.Start);
            switch (hello.Status)
            {
                case ClientHelloStatus.Complete when string.IsNullOrEmpty(hello.Info?.ServerName):
                    return (null, new EdgeDenial(EdgeConstants.ReasonBadSni, "ClientHello without SNI"));
                case ClientHelloStatus.Complete:
                    return (hello.Info, null);
                case ClientHelloStatus.Invalid when ProxyHeaderParser.LooksLikeProxyHeader(buffer):
                    return (null, new EdgeDenial(EdgeConstants.ReasonProxyProtocol, "PROXY header from a peer that may not send one"));
                case ClientHelloStatus.Invalid:
                    return (null, new EdgeDenial(EdgeConstants.ReasonBadSni, hello.Error ?? "not a TLS ClientHello"));
                default:
                    if (read.IsCompleted || read.IsCanceled)
                    {
                        return (null, new EdgeDenial(EdgeConstants.ReasonBadSni,
                            buffer.IsEmpty ? "connection closed before the ClientHello" : "connection closed inside the ClientHello"));
                    }

                    break;
            }
        }
    }
}
