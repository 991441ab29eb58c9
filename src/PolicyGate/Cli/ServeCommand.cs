using System.CommandLine;
using PolicyGate.Configuration;

namespace PolicyGate.Cli;

/// <summary>`policygate serve [--config F] [--demo]`.</summary>
public static class ServeCommand
{
    public static Command Create(Option<string?> configOption)
    {
        Option<bool> demo = new("--demo") { Description = "also start demo backends registered as app `demo` (8080 http, 2222 tcp echo)" };
        Command command = new("serve", "run the appliance") { configOption, demo };
        command.SetAction(async (parse, ct) =>
        {
            PolicyGateOptions options;
            try
            {
                options = ConfigLoader.Load(parse.GetValue(configOption));
            }
            catch (ConfigException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return ExitCodes.Usage;
            }

            options.Demo = parse.GetValue(demo);
            WebApplication app = AppHost.Build(options);
            await app.RunAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
