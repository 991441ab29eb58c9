using System.CommandLine;
using PolicyGate.Configuration;
using PolicyGate.Operations;

namespace PolicyGate.Cli;

/// <summary>`policygate check-config [--config F]`: validates (production refusals included) and prints the effective config (secrets masked).</summary>
public static class CheckConfigCommand
{
    public static Command Create(Option<string?> configOption)
    {
        Command command = new("check-config", "validate and print the effective config (secrets masked)") { configOption };
        command.SetAction(parse =>
        {
            PolicyGateOptions options = ConfigLoader.Load(parse.GetValue(configOption));
            ProductionGuard.Check(options, Environment.GetEnvironmentVariable);
            Console.Out.Write(ConfigPrinter.Print(options));
            return ExitCodes.Ok;
        });
        return command;
    }
}
