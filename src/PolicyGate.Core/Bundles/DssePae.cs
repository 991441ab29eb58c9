using System.Text;

namespace PolicyGate.Core.Bundles;

/// <summary>DSSE v1 pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths as ASCII decimal byte counts.</summary>
public static class DssePae
{
    public static byte[] Encode(string payloadType, ReadOnlySpan<byte> payload)
    {
        byte[] type = Encoding.UTF8.GetBytes(payloadType);
        byte[] head = Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"DSSEv1 {type.Length} {payloadType} {payload.Length} "));
        byte[] result = new byte[head.Length + payload.Length];
        head.CopyTo(result, 0);
        payload.CopyTo(result.AsSpan(head.Length));
        return result;
    }
}
