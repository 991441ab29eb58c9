namespace PolicyGate.Edge;

/// <summary>
/// Host labels the dev certificate names explicitly. OpenSSL and curl refuse a wildcard directly under a single-label
/// domain (`*.localhost`), so for such a base domain every documented name is listed as its own SAN.
/// </summary>
public static class DevCertificateNames
{
    /// <summary>The names README.md and docs/ use with the dev certificate.</summary>
    public static IReadOnlyList<string> Documented { get; } =
        ["health", "demo", "demo-8080", "demo-8080g", "demo-2222", "demo-22", "demo-443s", "web1", "web1-8080", "web1-22", "web1-443s"];

    /// <summary>The names of demo backends on other ports (serve --demo-http-port / --demo-tcp-port).</summary>
    public static List<string> ForDemo(int httpPort, int tcpPort) => [$"demo-{httpPort}", $"demo-{httpPort}g", $"demo-{tcpPort}"];
}
