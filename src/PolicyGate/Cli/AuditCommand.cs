using System.CommandLine;
using PolicyGate.Audit;
using PolicyGate.Core.Audit;

namespace PolicyGate.Cli;

/// <summary>`policygate audit verify DIR [--key-file F] [--checkpoint-key F] [--json]`.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        Command audit = new("audit", "audit chain tools");
        Argument<string?> directory = new("DIR") { Description = "the audit directory (<data_dir>/audit)", Arity = ArgumentArity.ZeroOrOne };
        Option<string?> keyFile = new("--key-file") { Description = $"HMAC key file (64 hex); default env {AuditKeyMaterial.KeyEnvironmentVariable}, else DIR/../audit.key" };
        Option<string?> checkpointKey = new("--checkpoint-key") { Description = "node public key file (64 hex); default DIR/../node.pub" };
        Option<bool> json = new("--json") { Description = "print the JSON report" };
        // Unknown arguments are parse errors, which PolicyGateCli reports as usage errors (exit 2).
        Command verify = new("verify", CliHelp.AuditVerify) { directory, keyFile, checkpointKey, json };
        verify.SetAction(parse =>
        {
            AuditVerifyCommandLine.Result result = AuditVerifyCommandLine.Run(
                parse.GetValue(directory), parse.GetValue(keyFile), parse.GetValue(checkpointKey), Environment.GetEnvironmentVariable(AuditKeyMaterial.KeyEnvironmentVariable));
            if (result.Report is null)
            {
                Console.Error.WriteLine("audit verify: " + result.UsageError);
                return ExitCodes.Usage;
            }
            Console.Out.WriteLine(parse.GetValue(json) ? result.Report.ToJson().ToJsonString() : result.Report.ToText());
            return result.Report.Valid ? ExitCodes.Ok : ExitCodes.Failed;
        });
        audit.Subcommands.Add(verify);
        return audit;
    }
}
