using System.CommandLine;
using PolicyGate.Admin;
using PolicyGate.Configuration;
using PolicyGate.Edge;
using PolicyGate.Operations;

namespace PolicyGate.Cli;

/// <summary>`policygate serve [--config F] [--demo]`: builds and runs the node; config and production refusals exit 2 with one line.</summary>
public static class ServeCommand
{
    /// <summary>Where `serve --demo` puts the egress proxy when the config leaves egress.listen empty (README's egress examples).</summary>
    public const string DemoEgressListen = "127.0.0.1:3128";

    public static Command Create(Option<string?> configOption)
    {
        Option<bool> demo = new("--demo")
        {
            Description = $"also start demo backends registered as app `demo` (127.0.0.1:8080 http, 127.0.0.1:2222 tcp echo) and, unless egress.listen is set, the egress proxy on {DemoEgressListen}",
        };
        Option<int> demoHttpPort = new("--demo-http-port") { Description = "port of the demo HTTP backend", DefaultValueFactory = _ => DemoOptions.DefaultHttpPort };
        Option<int> demoTcpPort = new("--demo-tcp-port") { Description = "port of the demo TCP echo", DefaultValueFactory = _ => DemoOptions.DefaultTcpPort };
        Command command = new("serve", CliHelp.Serve) { configOption, demo, demoHttpPort, demoTcpPort };
        command.SetAction(async (parse, ct) =>
        {
            PolicyGateOptions options = ConfigLoader.Load(parse.GetValue(configOption));
            options.Demo = parse.GetValue(demo);
            DemoOptions demoPorts = new(parse.GetValue(demoHttpPort), parse.GetValue(demoTcpPort));
            if (options.Demo)
            {
                options.DevCertificateLabels = DevCertificateNames.ForDemo(demoPorts.HttpPort, demoPorts.TcpPort);
            }

            if (options.Demo && options.Egress.Listen.Length == 0)
            {
                options.Egress.Listen = DemoEgressListen;
            }

            // Every production refusal in one place and one wording before any feature resolves its own secrets.
            ProductionGuard.Check(options, Environment.GetEnvironmentVariable);
            await using WebApplication app = AppHost.Build(options, services => services.AddSingleton(demoPorts));
            await app.StartAsync(ct);
            ServeBanner.Announce(app, options, demoPorts);
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
