using System.Text;
using PolicyGate.Configuration;

namespace PolicyGate.Cli;

/// <summary>What `serve` prints once listening: the listener addresses and, in dev mode, how to curl each plane.</summary>
public static class ServeBanner
{
    public static string Describe(PolicyGateOptions options)
    {
        StringBuilder sb = new();
        sb.Append($"PolicyGate node '{options.Node.EffectiveId}' ({options.Node.Mode}) serving\n");
        foreach (string edge in options.Edge.Listen)
        {
            sb.Append($"  edge     https://{edge}  (apps as <id>[-<port>][s|g].{options.Edge.BaseDomain})\n");
        }

        sb.Append($"  admin    http://{options.Admin.Listen}/api/v1\n");
        sb.Append($"  metrics  http://{options.Metrics.Listen}/metrics  /healthz  /readyz\n");
        if (options.Egress.Listen.Length > 0)
        {
            sb.Append($"  egress   http://{options.Egress.Listen}  (HTTPS_PROXY for instances)\n");
        }

        if (options.Cluster.Listen.Length > 0)
        {
            sb.Append($"  cluster  https://{options.Cluster.Listen}\n");
        }

        if (options.IsProduction)
        {
            return sb.ToString();
        }

        string edgeHostPort = options.Edge.Listen[0];
        int port = ListenAddress.Parse(edgeHostPort).Port;
        string domain = options.Edge.BaseDomain;
        string token = options.Admin.TokenFile.Length > 0 ? options.ResolvePath(options.Admin.TokenFile) : Path.Combine(options.DataDirectory, "admin.token");
        sb.Append("\nTry it:\n");
        sb.Append($"  curl http://{Loopback(options.Metrics.Listen)}/metrics\n");
        sb.Append($"  curl -H \"Authorization: Bearer $(cat {token})\" http://{Loopback(options.Admin.Listen)}/api/v1/instances\n");
        sb.Append($"  curl -k --resolve health.{domain}:{port}:127.0.0.1 https://health.{domain}:{port}/\n");
        if (options.Demo)
        {
            sb.Append($"  curl -k --resolve demo-8080.{domain}:{port}:127.0.0.1 https://demo-8080.{domain}:{port}/\n");
            sb.Append($"  curl -k --resolve demo-8080.{domain}:{port}:127.0.0.1 https://demo-8080.{domain}:{port}/pii   # blocked by inspection\n");
            sb.Append($"  openssl s_client -connect 127.0.0.1:{port} -servername demo-2222.{domain}   # TCP echo: type a line\n");
        }

        return sb.ToString();
    }

    private static string Loopback(string listen) =>
        listen.StartsWith("0.0.0.0:", StringComparison.Ordinal) || listen.StartsWith("*:", StringComparison.Ordinal)
            ? "127.0.0.1" + listen[listen.IndexOf(':', StringComparison.Ordinal)..]
            : listen.StartsWith("[::]:", StringComparison.Ordinal) ? "[::1]" + listen[4..] : listen;
}
