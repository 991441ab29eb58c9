using System.Text.Json;

namespace PolicyGate.Core.Bundles;

/// <summary>Strict decoder of the DSSE envelope (size, JSON shape, payloadType, canonical base64, key id = SHA-256 of the key).</summary>
public static class BundleEnvelopeDecoder
{
    private static readonly string[] s_envelopeFields = ["payloadType", "payload", "signatures"];
    private static readonly string[] s_signatureFields = ["keyid", "public_key", "sig"];

    public static BundleResult<BundleEnvelope> Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length > BundleConstants.MaxEnvelopeBytes)
        {
            return BundleResult<BundleEnvelope>.Fail(BundleErrors.TooLarge,
                $"envelope is {body.Length} bytes, the limit is {BundleConstants.MaxEnvelopeBytes}");
        }

        BundleResult<JsonDocument> parsed = StrictJson.Parse(body, "envelope");
        if (!parsed.IsOk)
        {
            return parsed.Rejection;
        }

        using JsonDocument document = parsed.Value;
        JsonElement root = document.RootElement;
        if (StrictFields.CheckObject(root, "envelope", s_envelopeFields, s_envelopeFields) is { } shape)
        {
            return shape;
        }

        if (StrictFields.String(root, "payloadType", "envelope", out string payloadType) is { } badType)
        {
            return badType;
        }

        if (!string.Equals(payloadType, BundleConstants.PayloadType, StringComparison.Ordinal))
        {
            return BundleResult<BundleEnvelope>.Fail(BundleErrors.WrongPayloadType,
                $"envelope.payloadType: '{payloadType}', expected '{BundleConstants.PayloadType}'");
        }

        if (StrictFields.String(root, "payload", "envelope", out string payloadText) is { } badPayload)
        {
            return badPayload;
        }

        byte[]? payload = StrictBase64.TryDecode(payloadText);
        if (payload is null || payload.Length == 0)
        {
            return BundleResult<BundleEnvelope>.Fail(BundleErrors.BadBase64, "envelope.payload: not canonical base64");
        }

        JsonElement signatures = root.GetProperty("signatures");
        if (signatures.ValueKind != JsonValueKind.Array || signatures.GetArrayLength() == 0)
        {
            return BundleResult<BundleEnvelope>.Fail(BundleErrors.BadField, "envelope.signatures: must be a non-empty array");
        }

        List<BundleSignature> list = [];
        int index = 0;
        foreach (JsonElement entry in signatures.EnumerateArray())
        {
            BundleResult<BundleSignature> one = DecodeSignature(entry, $"envelope.signatures[{index++}]");
            if (!one.IsOk)
            {
                return one.Rejection;
            }

            list.Add(one.Value);
        }

        return BundleResult<BundleEnvelope>.Ok(new BundleEnvelope(payloadType, payload, list));
    }

    private static BundleResult<BundleSignature> DecodeSignature(JsonElement entry, string where)
    {
        if (StrictFields.CheckObject(entry, where, s_signatureFields, s_signatureFields) is { } shape)
        {
            return shape;
        }

        string keyId = "", keyText = "", sigText = "";
        if ((StrictFields.String(entry, "keyid", where, out keyId) ?? StrictFields.String(entry, "public_key", where, out keyText)
            ?? StrictFields.String(entry, "sig", where, out sigText)) is { } bad)
        {
            return bad;
        }

        if (!BundleKeyId.IsWellFormed(keyId))
        {
            return BundleResult<BundleSignature>.Fail(BundleErrors.BadField, $"{where}.keyid: '{keyId}' is not sha256:<64 hex>");
        }

        byte[]? key = StrictBase64.TryDecode(keyText);
        if (key is null || key.Length != BundleKeyId.PublicKeyBytes)
        {
            return BundleResult<BundleSignature>.Fail(BundleErrors.BadBase64, $"{where}.public_key: not the canonical base64 of a 32-byte key");
        }

        byte[]? sig = StrictBase64.TryDecode(sigText);
        if (sig is null || sig.Length != 64)
        {
            return BundleResult<BundleSignature>.Fail(BundleErrors.BadBase64, $"{where}.sig: not the canonical base64 of a 64-byte Ed25519 signature");
        }

        if (!string.Equals(BundleKeyId.Of(key), keyId, StringComparison.Ordinal))
        {
            return BundleResult<BundleSignature>.Fail(BundleErrors.KeyIdMismatch, $"{where}.keyid: {keyId} is not the SHA-256 of public_key ({BundleKeyId.Of(key)})");
        }

        return BundleResult<BundleSignature>.Ok(new BundleSignature(keyId, key, sig));
    }
}
