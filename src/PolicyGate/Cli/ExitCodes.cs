namespace PolicyGate.Cli;

/// <summary>Process exit codes (DESIGN §2).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
}
