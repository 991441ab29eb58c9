using System.CommandLine;
using PolicyGate.Configuration;
using PolicyGate.Operations;

namespace PolicyGate.Cli;

/// <summary>`policygate serve [--config F] [--demo]`: builds and runs the node; config and production refusals exit 2 with one line.</summary>
public static class ServeCommand
{
    public static Command Create(Option<string?> configOption)
    {
        Option<bool> demo = new("--demo") { Description = "also start demo backends registered as app `demo` (8080 http, 2222 tcp echo)" };
        Command command = new("serve", "run the appliance") { configOption, demo };
        command.SetAction(async (parse, ct) =>
        {
            PolicyGateOptions options = ConfigLoader.Load(parse.GetValue(configOption));
            options.Demo = parse.GetValue(demo);

            // Every production refusal in one place and one wording before any feature resolves its own secrets.
            ProductionGuard.Check(options, Environment.GetEnvironmentVariable);
            await using WebApplication app = AppHost.Build(options);
            await app.StartAsync(ct);
            await Console.Out.WriteAsync(ServeBanner.Describe(options));
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
