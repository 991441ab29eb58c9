using System.CommandLine;
using PolicyGate.Configuration;
using PolicyGate.Operations;

namespace PolicyGate.Cli;

/// <summary>`policygate check-config [--config F] [--production]`: validates (every refusal at once) and prints the effective config (secrets masked).</summary>
public static class CheckConfigCommand
{
    public static Command Create(Option<string?> configOption)
    {
        Option<bool> production = new("--production") { Description = "check as if node.mode = \"production\" (report every production refusal)" };
        Command command = new("check-config", CliHelp.CheckConfig) { configOption, production };
        command.SetAction(parse =>
        {
            PolicyGateOptions options = ConfigLoader.Load(parse.GetValue(configOption));
            if (parse.GetValue(production))
            {
                options.Node.Mode = "production";
            }

            ProductionGuard.Check(options, Environment.GetEnvironmentVariable);
            Console.Out.Write(ConfigPrinter.Print(options));
            return ExitCodes.Ok;
        });
        return command;
    }
}
