using System.CommandLine;

namespace PolicyGate.Cli;

/// <summary>`policygate audit verify DIR [--key-file F] [--checkpoint-key F] [--json]`.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        Command audit = new("audit", "audit chain tools");
        Command verify = new("verify", "verify the audit chain in DIR");
        audit.Subcommands.Add(verify);
        return audit;
    }
}
