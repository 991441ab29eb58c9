using System.Net;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Cli;

/// <summary>One node per data_dir: a second `serve` is refused naming the holder's pid; a damaged chain has a documented, verifiable way back.</summary>
public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Config(string name)
    {
        return _dir.Write(name, $"""
            [node]
            data_dir = "data"
            [edge]
            listen = ["127.0.0.1:{TestNode.FreePort()}"]
            [edge.timeouts]
            shutdown = "2s"
            [admin]
            listen = "127.0.0.1:{TestNode.FreePort()}"
            [metrics]
            listen = "127.0.0.1:{TestNode.FreePort()}"
            [inspection]
            tenants_dir = "no-tenants"
            """);
    }

    private string AuditDir => Path.Combine(_dir.Path, "data", "audit");

    [Fact]
    public async Task Second_serve_on_the_same_data_dir_is_refused_naming_the_holder_and_the_first_keeps_a_valid_chain()
    {
        Config("a.toml");
        Config("b.toml");
        await using PolicygateProcess first = PolicygateProcess.Start(["serve", "--config", "a.toml"], workingDirectory: _dir.Path);
        Assert.True(await first.WaitForOutputAsync("Try it:", TimeSpan.FromSeconds(60)), first.Stdout + first.Stderr);

        (int exit, _, string stderr) = await PolicygateProcess.RunAsync(["serve", "--config", "b.toml"], workingDirectory: _dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains($"is in use by another PolicyGate process (pid {first.Id})", stderr, StringComparison.Ordinal);
        Assert.False(first.HasExited);
        first.Signal(15);
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        (int verify, string report, _) = await PolicygateProcess.RunAsync(["audit", "verify", AuditDir]);
        Assert.True(verify == 0, report);
    }

    [Fact]
    public async Task A_killed_holder_releases_the_lock()
    {
        Config("a.toml");
        await using (PolicygateProcess first = PolicygateProcess.Start(["serve", "--config", "a.toml"], workingDirectory: _dir.Path))
        {
            Assert.True(await first.WaitForOutputAsync("Try it:", TimeSpan.FromSeconds(60)), first.Stdout + first.Stderr);
            first.Signal(9);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        await using PolicygateProcess second = PolicygateProcess.Start(["serve", "--config", "a.toml"], workingDirectory: _dir.Path);
        Assert.True(await second.WaitForOutputAsync("Try it:", TimeSpan.FromSeconds(60)), second.Stdout + second.Stderr);
    }

    [Fact]
    public async Task Damaged_chain_recovery_follows_the_refusal_and_both_chains_verify_as_documented()
    {
        Config("a.toml");
        await using (PolicygateProcess first = PolicygateProcess.Start(["serve", "--config", "a.toml"], workingDirectory: _dir.Path))
        {
            Assert.True(await first.WaitForOutputAsync("Try it:", TimeSpan.FromSeconds(60)), first.Stdout + first.Stderr);
            first.Signal(15);
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        string segment = Directory.GetFiles(AuditDir, "audit-*.jsonl").Single();
        await File.AppendAllTextAsync(segment, "{\"interleaved\":\"by another writer\"}\n");

        (int refused, _, string stderr) = await PolicygateProcess.RunAsync(["serve", "--config", "a.toml"], workingDirectory: _dir.Path);
        Assert.Equal(1, refused);
        string damaged = AuditDir + ".damaged";
        Assert.Contains($"mv {AuditDir} {damaged}", stderr, StringComparison.Ordinal);

        Directory.Move(AuditDir, damaged);
        (int oldVerify, string oldReport, _) = await PolicygateProcess.RunAsync(["audit", "verify", damaged]);
        Assert.Equal(1, oldVerify);
        Assert.Contains("malformed line", oldReport, StringComparison.Ordinal);

        await using (PolicygateProcess restarted = PolicygateProcess.Start(["serve", "--config", "a.toml"], workingDirectory: _dir.Path))
        {
            Assert.True(await restarted.WaitForOutputAsync("Try it:", TimeSpan.FromSeconds(60)), restarted.Stdout + restarted.Stderr);
            restarted.Signal(15);
            Assert.Equal(0, await restarted.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        (int newVerify, string newReport, _) = await PolicygateProcess.RunAsync(["audit", "verify", AuditDir]);
        Assert.True(newVerify == 0, newReport);
        Assert.Contains("checkpoints valid", newReport, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
