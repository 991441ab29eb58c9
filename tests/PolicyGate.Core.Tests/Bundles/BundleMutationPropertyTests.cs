using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using PolicyGate.Core.Bundles;

namespace PolicyGate.Core.Tests.Bundles;

/// <summary>Random damage to a valid envelope (byte flips, dropped and duplicated fields, base64 damage) is always rejected, never a crash.</summary>
public sealed class BundleMutationPropertyTests
{
    private static readonly string[] s_envelopeFields = ["payloadType", "payload", "signatures"];
    private static readonly string[] s_signatureFields = ["keyid", "public_key", "sig"];
    private static readonly string[] s_base64Fields = ["payload", "public_key", "sig"];

    [Fact]
    public void ValidEnvelopeIsAcceptedBeforeMutation()
    {
        using BundleFactory f = new();
        Assert.True(f.Verify(Valid(f)).Accepted);
    }

    [Fact]
    public void ByteFlipsAreRejected()
    {
        using BundleFactory f = new();
        byte[] valid = Valid(f);
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Int[1, 255]).Sample((index, mask) =>
        {
            byte[] copy = (byte[])valid.Clone();
            copy[index] ^= (byte)mask;
            AssertRejected(f, copy);
        }, iter: 3000);
    }

    [Fact]
    public void DroppedAndDuplicatedFieldsAreRejected()
    {
        using BundleFactory f = new();
        string valid = Encoding.UTF8.GetString(Valid(f));
        Gen.Select(Gen.Int[0, 5], Gen.Bool, Gen.Int[0, 2]).Sample((field, duplicate, variant) =>
        {
            JsonObject envelope = JsonNode.Parse(valid)!.AsObject();
            bool inSignature = field >= 3;
            JsonObject target = inSignature ? envelope["signatures"]![0]!.AsObject() : envelope;
            string name = inSignature ? s_signatureFields[field - 3] : s_envelopeFields[field];
            string text;
            if (duplicate)
            {
                // Re-add the key as raw text before the original: same value, a different string, or null.
                string value = variant switch { 0 => target[name]!.ToJsonString(), 1 => "\"x\"", _ => "null" };
                string serialized = envelope.ToJsonString();
                string needle = "\"" + name + "\":";
                text = serialized.Insert(serialized.IndexOf(needle, StringComparison.Ordinal), needle + value + ",");
            }
            else
            {
                target.Remove(name);
                text = envelope.ToJsonString();
            }

            AssertRejected(f, Encoding.UTF8.GetBytes(text));
        }, iter: 300);
    }

    [Fact]
    public void Base64DamageIsRejected()
    {
        using BundleFactory f = new();
        string valid = Encoding.UTF8.GetString(Valid(f));
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 100_000], Gen.Int[0, 5]).Sample((field, position, kind) =>
        {
            JsonObject envelope = JsonNode.Parse(valid)!.AsObject();
            JsonObject target = field == 0 ? envelope : envelope["signatures"]![0]!.AsObject();
            string name = s_base64Fields[field];
            string text = target[name]!.GetValue<string>();
            int i = position % text.Length;
            text = kind switch
            {
                0 => text.Remove(i, 1),
                1 => text.Insert(i, " "),
                2 => text.Remove(i, 1).Insert(i, "-"),
                3 => text.TrimEnd('=') + (text.EndsWith('=') ? "" : "="),
                4 => text.Remove(i, 1).Insert(i, text[i] == 'A' ? "B" : "A"),
                _ => text + "AAAA",
            };
            target[name] = text;
            AssertRejected(f, Encoding.UTF8.GetBytes(envelope.ToJsonString()));
        }, iter: 1000);
    }

    [Fact]
    public void ArbitraryBytesNeverCrashTheDecoder()
    {
        using BundleFactory f = new();
        Gen.Byte.Array[0, 512].Sample(bytes => AssertRejected(f, bytes), iter: 2000);
    }

    private static byte[] Valid(BundleFactory f)
    {
        byte[] envelope = f.Sign(BundleFactory.Payload());
        return envelope[..^1]; // without the trailing newline, so every byte is significant
    }

    private static void AssertRejected(BundleFactory f, byte[] envelope)
    {
        BundleVerdict verdict = f.Verify(envelope);
        if (verdict.Rejection is null)
        {
            throw new Xunit.Sdk.XunitException("mutated envelope was accepted: " + Encoding.UTF8.GetString(envelope));
        }
    }
}
