using System.Globalization;
using PolicyGate.Load.Cli;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
using CancellationTokenSource cts = new();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

string command = args.Length > 0 ? args[0] : "";
string[] rest = args.Length > 0 ? args[1..] : [];
return command switch
{
    "run" => await RunCommand.RunAsync(rest, cts.Token),
    "na" => NotAvailableCommand.Run(rest),
    "compare" => CompareCommand.Run(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: policygate-load <command>\n  " + RunCommand.Usage + "\n  " + NotAvailableCommand.Usage + "\n  " + CompareCommand.Usage);
    return 2;
}
