using System.CommandLine;
using PolicyGate.Configuration;

namespace PolicyGate.Cli;

/// <summary>`policygate check-config [--config F]`: validates and prints the effective config (secrets masked).</summary>
public static class CheckConfigCommand
{
    public static Command Create(Option<string?> configOption)
    {
        Command command = new("check-config", "validate and print the effective config") { configOption };
        command.SetAction(parse =>
        {
            try
            {
                ConfigLoader.Load(parse.GetValue(configOption));
                return ExitCodes.Ok;
            }
            catch (ConfigException e)
            {
                Console.Error.WriteLine(e.Message);
                return ExitCodes.Usage;
            }
        });
        return command;
    }
}
