using System.CommandLine;
using PolicyGate.Configuration;

namespace PolicyGate.Cli;

/// <summary>The `policygate` command tree and its error policy: one line per error, exit 2 for usage/config, stack traces only with --verbose.</summary>
public static class PolicyGateCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        Option<string?> config = new("--config") { Description = "path to policygate.toml (default: embedded defaults)" };
        Option<bool> verbose = new("--verbose") { Description = "show stack traces of unexpected errors", Recursive = true };
        RootCommand root = new(CliHelp.Root)
        {
            ServeCommand.Create(config),
            CheckConfigCommand.Create(config),
            AuditCommand.Create(),
            EgressCommand.Create(),
            BundleCommand.Create(),
            PolicyCommand.Create(),
        };
        root.Options.Add(verbose);

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
            {
                await Console.Error.WriteLineAsync("policygate: " + error.Message);
            }

            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync(parse.GetValue(verbose) ? e.ToString() : "policygate: " + OneLine(e));
            return ExitCodes.Failed;
        }
    }

    /// <summary>The innermost meaningful message, on one line.</summary>
    public static string OneLine(Exception e)
    {
        Exception inner = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e;
        return inner.Message.ReplaceLineEndings(" ");
    }
}
