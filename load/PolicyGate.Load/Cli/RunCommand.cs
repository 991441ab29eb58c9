using System.Globalization;
using System.Net;
using PolicyGate.Load.Clients;
using PolicyGate.Load.Reporting;
using PolicyGate.Load.Running;
using PolicyGate.Load.Simulations;

namespace PolicyGate.Load.Cli;

/// <summary><c>run</c>: one scenario against one target; writes its reports and appends to results.jsonl.</summary>
public static class RunCommand
{
    public const string Usage =
        "run --scenario NAME --target LABEL --client https-raw|https-client|tls-connect|connect-tunnel --connect 127.0.0.1:PORT\n" +
        "    [--sni HOST] [--plain] [--path /x] [--host HEADER] [--tunnel-to HOST:PORT] [--sim closed:N|rate:R[:MAX]|ramp:A:B]\n" +
        "    [--warmup 1s] [--duration 5s] [--max-requests N] [--round N] [--metric rps|mbps] [--proxy-pid P,..] [--backend-pid P,..]\n" +
        "    [--disturbed-threshold 0.15] [--step-timeout 30s] [--out load/reports] [--no-progress]";

    private static readonly HashSet<string> s_flags = ["--plain", "--no-progress"];

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        ArgumentReader a = new(args, s_flags);
        ScenarioSettings? settings = Parse(a, out string outDir);
        if (settings is null)
        {
            foreach (string error in a.Errors)
            {
                Console.Error.WriteLine("error: " + error);
            }

            Console.Error.WriteLine("usage: policygate-load " + Usage);
            return 2;
        }

        ScenarioResult result = await ExecuteAsync(settings, ct);
        string md = RunReportWriter.Write(outDir, result);
        Console.WriteLine(Summary(result) + "  → " + md);
        return result.Requests > 0 ? 0 : 1;
    }

    /// <summary>Runs the scenario with the client its settings name.</summary>
    public static async Task<ScenarioResult> ExecuteAsync(ScenarioSettings settings, CancellationToken ct)
    {
        ILoadClient client = CreateClient(settings);
        try
        {
            return await new ScenarioRunner(settings, client).RunAsync(ct);
        }
        finally
        {
            (client as IDisposable)?.Dispose();
        }
    }

    public static string Summary(ScenarioResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Scenario} {r.Target} r{r.Round}: {r.RequestsPerSecond:0} req/s {r.MegabytesPerSecond:0.0} MB/s p50={r.LatencyP50Ms:0.00}ms p99={r.LatencyP99Ms:0.00}ms errors={r.Errors} proxy={RunReportWriter.F(r.ProxyCpuUsPerRequest, "0.0")}µs/req client={r.ClientCpuUsPerRequest:0.0}µs/req other={r.OtherBusy:P0}{(r.Disturbed ? " DISTURBED" : "")}");

    private static ILoadClient CreateClient(ScenarioSettings s) => s.Client switch
    {
        ClientKind.HttpsClient => new HttpClientLoadClient(s.ClientTarget, s.Simulation.MaxConnections),
        ClientKind.TlsConnect => new RawHttpClient(s.ClientTarget, RawConnectionMode.NewConnectionPerRequest),
        ClientKind.ConnectTunnel => new RawHttpClient(s.ClientTarget, RawConnectionMode.Tunnel),
        _ => new RawHttpClient(s.ClientTarget, RawConnectionMode.KeepAlive),
    };

    private static ScenarioSettings? Parse(ArgumentReader a, out string outDir)
    {
        string scenario = a.Required("--scenario");
        string target = a.Required("--target");
        string client = a.Optional("--client") ?? ClientKind.HttpsRaw;
        if (!ClientKind.All.Contains(client))
        {
            a.Errors.Add($"--client {client}: expected one of {string.Join(", ", ClientKind.All)}");
        }

        IPEndPoint? endPoint = a.EndPoint("--connect");
        bool plain = a.Flag("--plain") || client == ClientKind.ConnectTunnel;
        string? sni = a.Optional("--sni");
        if (!plain && string.IsNullOrEmpty(sni))
        {
            a.Errors.Add("--sni is required for TLS clients (or give --plain)");
        }

        string? tunnelTo = a.Optional("--tunnel-to");
        if (client == ClientKind.ConnectTunnel && string.IsNullOrEmpty(tunnelTo))
        {
            a.Errors.Add("--tunnel-to HOST:PORT is required for connect-tunnel");
        }

        LoadSimulation? simulation = LoadSimulation.Parse(a.Optional("--sim") ?? "closed:32", out string? simError);
        if (simError is not null)
        {
            a.Errors.Add(simError);
        }

        string metric = a.Optional("--metric") ?? "rps";
        if (metric is not ("rps" or "mbps"))
        {
            a.Errors.Add($"--metric {metric}: expected rps or mbps");
        }

        ScenarioSettings? settings = endPoint is null || simulation is null ? null : new ScenarioSettings
        {
            Scenario = scenario,
            Target = target,
            Client = client,
            ClientTarget = new ClientTarget
            {
                EndPoint = endPoint,
                ServerName = plain ? null : sni,
                Path = a.Optional("--path") ?? "/",
                HostHeader = a.Optional("--host"),
                ConnectAuthority = tunnelTo,
                StepTimeout = a.Duration("--step-timeout", TimeSpan.FromSeconds(30)),
            },
            Simulation = simulation,
            Warmup = a.Duration("--warmup", TimeSpan.FromSeconds(1)),
            Duration = a.Duration("--duration", TimeSpan.FromSeconds(5)),
            MaxRequests = a.Long("--max-requests", 0, 0, 1_000_000_000),
            Round = (int)a.Long("--round", 1, 0, 10_000),
            Metric = metric,
            ProxyPids = a.Pids("--proxy-pid"),
            BackendPids = a.Pids("--backend-pid"),
            DisturbedThreshold = a.Double("--disturbed-threshold", 0.15),
            Progress = !a.Flag("--no-progress"),
        };
        outDir = a.Optional("--out") ?? Path.Combine("load", "reports");
        a.RejectUnknown();
        return a.Errors.Count == 0 ? settings : null;
    }
}
