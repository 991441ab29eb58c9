using System.Net;
using System.Text;

namespace PolicyGate.Core.ProxyProtocol;

/// <summary>A parsed PROXY v1/v2 header; <see cref="Length"/> is the number of bytes it occupies on the wire.</summary>
/// <remarks>Source/Destination are null for LOCAL, UNKNOWN/UNSPEC and UNIX (see the Unix* paths).</remarks>
public sealed record ProxyHeader(
    int Version,
    ProxyCommand Command,
    ProxyAddressFamily Family,
    IPEndPoint? Source,
    IPEndPoint? Destination,
    IReadOnlyList<ProxyTlv> Tlvs,
    int Length)
{
    /// <summary>PP2_TYPE_AUTHORITY (0x02) as UTF-8 (validated by the parser), if present.</summary>
    public string? Authority => FindTlv(ProxyTlvType.Authority) is { } tlv ? Encoding.UTF8.GetString(tlv.Value.Span) : null;

    /// <summary>Source socket path of a v2 AF_UNIX header (up to the first NUL).</summary>
    public string? UnixSource { get; init; }

    /// <summary>Destination socket path of a v2 AF_UNIX header (up to the first NUL).</summary>
    public string? UnixDestination { get; init; }

    /// <summary>The first TLV of the given type, or null.</summary>
    public ProxyTlv? FindTlv(byte type)
    {
        foreach (ProxyTlv tlv in Tlvs)
        {
            if (tlv.Type == type)
            {
                return tlv;
            }
        }
        return null;
    }
}
