namespace PolicyGate.Tests.Cli;

/// <summary>Every command's --help shows examples, exit codes and environment variables, and nothing of System.CommandLine's internals.</summary>
public sealed class CliHelpTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("serve --help")]
    [InlineData("check-config --help")]
    [InlineData("audit verify --help")]
    [InlineData("egress --help")]
    public async Task Help_has_examples_exit_codes_and_environment(string args)
    {
        (int exit, string stdout, string stderr) = await PolicygateProcess.RunAsync(args.Split(' '));
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("Examples:", stdout, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 ", stdout, StringComparison.Ordinal);
        Assert.Contains("POLICYGATE_", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Additional Arguments", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Arguments passed to the application", stdout, StringComparison.Ordinal);
    }
}
