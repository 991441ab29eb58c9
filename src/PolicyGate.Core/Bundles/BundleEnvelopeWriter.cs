using System.Text.Json;

namespace PolicyGate.Core.Bundles;

/// <summary>Writes a DSSE envelope as compact JSON (the form served by the leader and read by followers).</summary>
public static class BundleEnvelopeWriter
{
    public static byte[] Write(ReadOnlySpan<byte> payload, IEnumerable<BundleSignature> signatures)
    {
        using MemoryStream stream = new();
        // Relaxed escaping keeps base64 '+' literal, so the envelope reads the same in any tool.
        using (Utf8JsonWriter writer = new(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("payloadType", BundleConstants.PayloadType);
            writer.WriteString("payload", Convert.ToBase64String(payload));
            writer.WriteStartArray("signatures");
            foreach (BundleSignature signature in signatures)
            {
                writer.WriteStartObject();
                writer.WriteString("keyid", signature.KeyId);
                writer.WriteString("public_key", Convert.ToBase64String(signature.PublicKey));
                writer.WriteString("sig", Convert.ToBase64String(signature.Sig));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }
}
