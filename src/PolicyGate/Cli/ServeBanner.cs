using System.Text;
using PolicyGate.Admin;
using PolicyGate.Configuration;
using PolicyGate.Operations;

namespace PolicyGate.Cli;

/// <summary>
/// What `serve` says once listening: listeners, data dir and admin token source. Dev mode prints readable text with
/// curl lines; production logs the same facts as structured events so stdout stays one JSON object per line.
/// </summary>
public static partial class ServeBanner
{
    public static void Announce(WebApplication app, PolicyGateOptions options, DemoOptions demo)
    {
        string tokenSource = app.Services.GetRequiredService<AdminToken>().Source;
        if (options.IsProduction)
        {
            ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServeBanner).FullName!);
            foreach ((string plane, string url) in Listeners(options))
            {
                Log.Listening(logger, plane, url);
            }

            Log.Paths(logger, options.DataDirectory, tokenSource);
            return;
        }

        Console.Out.Write(Describe(options, tokenSource, demo));
        Console.Out.Flush();
    }

    /// <summary>The dev-mode banner.</summary>
    public static string Describe(PolicyGateOptions options, string tokenSource, DemoOptions demo)
    {
        StringBuilder sb = new();
        sb.Append($"PolicyGate node '{options.Node.EffectiveId}' ({options.Node.Mode}) serving\n");
        foreach ((string plane, string url) in Listeners(options))
        {
            sb.Append($"  {plane,-8} {url}\n");
        }

        sb.Append($"  config   {options.SourceFile ?? "(embedded defaults; relative paths from " + options.BaseDirectory + ")"}\n");
        sb.Append($"  data     {options.DataDirectory}\n");
        sb.Append($"  token    {tokenSource}\n");
        if (options.Edge.CertFile.Length == 0)
        {
            sb.Append($"  cert     {Path.Combine(options.DataDirectory, "certs", "edge-dev.crt")} (dev self-signed; curl --cacert it)\n");
        }

        string edgeHostPort = options.Edge.Listen[0];
        int port = ListenAddress.Parse(edgeHostPort).Port;
        string domain = options.Edge.BaseDomain;
        string tokenFile = options.Admin.TokenFile.Length > 0 ? options.ResolvePath(options.Admin.TokenFile) : Path.Combine(options.DataDirectory, AdminToken.GeneratedFileName);
        sb.Append("\nTry it:\n");
        sb.Append($"  curl http://{Loopback(options.Metrics.Listen)}/readyz\n");
        sb.Append($"  curl -H \"Authorization: Bearer $(cat {tokenFile})\" http://{Loopback(options.Admin.Listen)}/api/v1/instances\n");
        sb.Append($"  curl -k --resolve health.{domain}:{port}:127.0.0.1 https://health.{domain}:{port}/\n");
        if (options.Demo)
        {
            sb.Append($"  curl -k --resolve demo-{demo.HttpPort}.{domain}:{port}:127.0.0.1 https://demo-{demo.HttpPort}.{domain}:{port}/\n");
            sb.Append($"  curl -k --resolve demo-{demo.HttpPort}.{domain}:{port}:127.0.0.1 https://demo-{demo.HttpPort}.{domain}:{port}/pii   # blocked by inspection\n");
            sb.Append($"  openssl s_client -connect 127.0.0.1:{port} -servername demo-{demo.TcpPort}.{domain}   # TCP echo: type a line\n");
        }

        return sb.ToString();
    }

    private static IEnumerable<(string Plane, string Url)> Listeners(PolicyGateOptions options)
    {
        foreach (string edge in options.Edge.Listen)
        {
            yield return ("edge", $"https://{edge}  (TLS; apps as <id>[-<port>][s|g].{options.Edge.BaseDomain})");
        }

        yield return ("admin", $"http://{options.Admin.Listen}/api/v1");
        yield return ("metrics", $"http://{options.Metrics.Listen}/metrics  /healthz  /readyz");
        if (options.Egress.Listen.Length > 0)
        {
            yield return ("egress", $"http://{options.Egress.Listen}  (HTTPS_PROXY for instances)");
        }

        if (options.Cluster.Listen.Length > 0)
        {
            yield return ("cluster", $"https://{options.Cluster.Listen}");
        }
    }

    private static string Loopback(string listen) =>
        listen.StartsWith("0.0.0.0:", StringComparison.Ordinal) || listen.StartsWith("*:", StringComparison.Ordinal)
            ? "127.0.0.1" + listen[listen.IndexOf(':', StringComparison.Ordinal)..]
            : listen.StartsWith("[::]:", StringComparison.Ordinal) ? "[::1]" + listen[4..] : listen;

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.ServeListening, Level = LogLevel.Information, Message = "listening: {Plane} {Url}")]
        public static partial void Listening(ILogger logger, string plane, string url);

        [LoggerMessage(EventId = LogEvents.ServePaths, Level = LogLevel.Information, Message = "data dir {DataDir}; admin token from {TokenSource}")]
        public static partial void Paths(ILogger logger, string dataDir, string tokenSource);
    }
}
