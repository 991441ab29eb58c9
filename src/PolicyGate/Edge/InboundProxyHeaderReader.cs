using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using PolicyGate.Core.ProxyProtocol;

namespace PolicyGate.Edge;

/// <summary>Step 1 (DESIGN §4.1): reads and consumes the inbound PROXY v1/v2 header a trusted proxy must send.</summary>
internal static class InboundProxyHeaderReader
{
    /// <summary>Consumes the header and applies its addresses to <paramref name="state"/>; a denial when it is missing, malformed or late.</summary>
    public static async ValueTask<EdgeDenial?> ReadAsync(PipeReader input, EdgeConnectionState state, CancellationToken deadline)
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
                return new EdgeDenial(EdgeConstants.ReasonProxyProtocol, "no complete PROXY header within edge.timeouts.pp_header");
            }

            ReadOnlySequence<byte> buffer = read.Buffer;
            ProxyParseResult parsed = ProxyHeaderParser.Parse(buffer);
            switch (parsed.Status)
            {
                case ProxyParseStatus.Complete:
                    input.AdvanceTo(buffer.GetPosition(parsed.Header!.Length));
                    Apply(parsed.Header, state);
                    return null;
                case ProxyParseStatus.Invalid:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    return new EdgeDenial(EdgeConstants.ReasonProxyProtocol, parsed.Error ?? "invalid PROXY header");
                default:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (read.IsCompleted || read.IsCanceled)
                    {
                        return new EdgeDenial(EdgeConstants.ReasonProxyProtocol,
                            buffer.IsEmpty ? "connection closed before the PROXY header" : "connection closed inside the PROXY header");
                    }

                    break;
            }
        }
    }

    /// <summary>PROXY with INET/INET6 names the client; LOCAL, UNKNOWN and UNIX keep the socket's addresses (the header's version still counts).</summary>
    private static void Apply(ProxyHeader header, EdgeConnectionState state)
    {
        state.ProxyHeaderVersion = header.Version == 1 ? 1 : 2;
        if (header is { Command: ProxyCommand.Proxy, Family: ProxyAddressFamily.Inet or ProxyAddressFamily.Inet6, Source: IPEndPoint source, Destination: IPEndPoint destination })
        {
            state.Client = source;
            state.Destination = destination;
        }
    }
}
