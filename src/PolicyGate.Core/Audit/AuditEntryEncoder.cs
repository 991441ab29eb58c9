using System.Buffers;
using System.Buffers.Text;
using System.Text.Json.Nodes;

namespace PolicyGate.Core.Audit;

/// <summary>
/// Encodes one entry straight to its canonical line. The field set is fixed, so the RFC 8785 key order is written by hand:
/// decision, details, key_id, kind, [mac], node, prev, reason, seq, subject, tenant, ts, v. The mac input is the same bytes without mac.
/// </summary>
internal static class AuditEntryEncoder
{
    /// <summary>Appends the entry's line (with '\n') to <paramref name="output"/>; returns its mac.</summary>
    public static string WriteLine(long seq, DateTimeOffset ts, string node, AuditHmacKey key, AuditEvent audit, JsonObject? details, string prev,
        ArrayBufferWriter<byte> scratch, IBufferWriter<byte> output)
    {
        if (!TryWriteBody(seq, ts, node, key.KeyId, audit, details, prev, scratch, out int macAt))
        {
            // Lone surrogates or non-finite numbers from a caller: make them representable rather than lose the entry.
            audit = new AuditEvent(AuditJsonSanitizer.Clean(audit.Kind ?? ""), AuditJsonSanitizer.Clean(audit.Decision ?? ""), AuditJsonSanitizer.Clean(audit.Reason ?? ""),
                AuditJsonSanitizer.Clean(audit.Subject ?? ""), audit.Tenant is null ? null : AuditJsonSanitizer.Clean(audit.Tenant));
            if (details is not null)
            {
                AuditJsonSanitizer.Sanitize(details);
            }
            TryWriteBody(seq, ts, AuditJsonSanitizer.Clean(node), key.KeyId, audit, details, prev, scratch, out macAt);
        }
        ReadOnlySpan<byte> body = scratch.WrittenSpan;
        string mac = key.ComputeMac(body);
        output.Write(body[..macAt]);
        Raw(output, ",\"mac\":\"");
        Raw(output, mac);
        Raw(output, "\"");
        output.Write(body[macAt..]);
        Raw(output, "\n");
        return mac;
    }

    private static bool TryWriteBody(long seq, DateTimeOffset ts, string node, string keyId, AuditEvent audit, JsonObject? details, string prev,
        ArrayBufferWriter<byte> scratch, out int macAt)
    {
        scratch.ResetWrittenCount();
        macAt = 0;
        Raw(scratch, "{\"decision\":");
        bool ok = JsonCanonicalizer.TryWriteString(audit.Decision ?? "", scratch);
        Raw(scratch, ",\"details\":");
        ok &= JsonCanonicalizer.TryCanonicalize(details ?? [], scratch, out _);
        Raw(scratch, ",\"key_id\":");
        ok &= JsonCanonicalizer.TryWriteString(keyId, scratch);
        Raw(scratch, ",\"kind\":");
        ok &= JsonCanonicalizer.TryWriteString(audit.Kind ?? "", scratch);
        macAt = scratch.WrittenCount;
        Raw(scratch, ",\"node\":");
        ok &= JsonCanonicalizer.TryWriteString(node, scratch);
        Raw(scratch, ",\"prev\":");
        ok &= JsonCanonicalizer.TryWriteString(prev, scratch);
        Raw(scratch, ",\"reason\":");
        ok &= JsonCanonicalizer.TryWriteString(audit.Reason ?? "", scratch);
        Raw(scratch, ",\"seq\":");
        // seq is an integer below 2^53, for which ES6 number text is the plain decimal.
        Utf8Formatter.TryFormat(seq, scratch.GetSpan(20), out int written);
        scratch.Advance(written);
        Raw(scratch, ",\"subject\":");
        ok &= JsonCanonicalizer.TryWriteString(audit.Subject ?? "", scratch);
        Raw(scratch, ",\"tenant\":");
        if (audit.Tenant is null)
        {
            Raw(scratch, "null");
        }
        else
        {
            ok &= JsonCanonicalizer.TryWriteString(audit.Tenant, scratch);
        }
        Raw(scratch, ",\"ts\":\"");
        Raw(scratch, AuditChainFormat.FormatTimestamp(ts));
        Raw(scratch, "\",\"v\":1}");
        return ok;
    }

    private static void Raw(IBufferWriter<byte> output, string ascii)
    {
        Span<byte> span = output.GetSpan(ascii.Length);
        for (int i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }
        output.Advance(ascii.Length);
    }
}
