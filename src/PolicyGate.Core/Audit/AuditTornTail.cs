namespace PolicyGate.Core.Audit;

/// <summary>An unterminated last line found at startup, moved aside to <see cref="PreservedAs"/> (never silently overwritten).</summary>
public sealed record AuditTornTail(string File, long Offset, int Bytes, string Sha256, string PreservedAs);
