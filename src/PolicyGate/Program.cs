using System.CommandLine;
using PolicyGate.Cli;

Option<string?> config = new("--config") { Description = "path to policygate.toml (default: embedded defaults)" };
RootCommand root = new("PolicyGate: policy-enforcing reverse-proxy appliance")
{
    ServeCommand.Create(config),
    CheckConfigCommand.Create(config),
    AuditCommand.Create(),
    EgressCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
