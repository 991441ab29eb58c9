namespace PolicyGate.Edge;

/// <summary>
/// Host labels the dev certificate names explicitly. OpenSSL and curl refuse a wildcard directly under a single-label
/// domain (`*.localhost`), so for such a base domain every documented name is listed as its own SAN.
/// </summary>
public sealed record DevCertificateNames(IReadOnlyList<string> Labels)
{
    /// <summary>The names README.md and docs/ use with the dev certificate.</summary>
    public static IReadOnlyList<string> Documented { get; } =
        ["health", "demo", "demo-8080", "demo-8080g", "demo-2222", "demo-22", "demo-443s", "web1", "web1-8080", "web1-22", "web1-443s"];

    /// <summary>The documented names plus those of demo backends on other ports.</summary>
    public static DevCertificateNames ForDemo(int httpPort, int tcpPort) =>
        new([.. Documented, $"demo-{httpPort}", $"demo-{httpPort}g", $"demo-{tcpPort}"]);
}
