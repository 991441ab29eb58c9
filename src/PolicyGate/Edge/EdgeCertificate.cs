using System.Net.Security;

namespace PolicyGate.Edge;

/// <summary>A loaded edge certificate context, or the reason loading failed (exactly one is set).</summary>
public sealed record EdgeCertificate(SslStreamCertificateContext? Context, string? Error)
{
    public bool IsLoaded => Context is not null;
}
