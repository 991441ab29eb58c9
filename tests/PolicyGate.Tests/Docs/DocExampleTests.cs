using System.Net.Http.Headers;
using PolicyGate.Tests.Cli;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Docs;

/// <summary>
/// Every ```sh example of README.md and docs/ (convention: docs/examples.md) runs against a demo node started the README's
/// way — `policygate serve --demo` in the root of a checkout, data in ./data — and the test fails on the first example
/// that does not do what its text says. Differences from a newcomer's machine, all mechanical: the node's listeners and
/// demo backends use free ports (a config file in the checkout root sets only those; the examples' documented ports are
/// replaced by them), and `policygate egress` is given that config so it finds the same admin.listen.
/// </summary>
public sealed class DocExampleTests
{
    [Fact]
    public async Task Every_shell_example_in_the_docs_does_what_its_text_says()
    {
        List<string> pages = [RepoPaths.File("README.md"), .. Directory.GetFiles(RepoPaths.File("docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
        List<(string Page, List<DocExample> Examples)> all = [];
        List<string> errors = [];
        foreach (string page in pages)
        {
            (List<DocExample> examples, List<string> pageErrors) = DocExample.Parse(page, Path.GetRelativePath(RepoPaths.Root, page));
            all.Add((page, examples));
            errors.AddRange(pageErrors);
        }

        Assert.True(errors.Count == 0, string.Join('\n', errors));
        Assert.True(all.Sum(p => p.Examples.Count(e => e.NoRunReason is null)) >= 20, "fewer runnable examples than expected: is the ```sh convention still used?");

        // Examples that cannot run here must still be valid shell.
        foreach (DocExample skipped in all.SelectMany(p => p.Examples).Where(e => e.NoRunReason is not null))
        {
            (int exit, string output) = await ToolRun.RunAsync("bash", ["-n"], stdin: skipped.Code + "\n");
            Assert.True(exit == 0, $"{skipped.Where} (no-run: {skipped.NoRunReason}) is not valid shell: {output}");
        }

        using TempDirectory checkout = new();
        foreach (string dir in new[] { "config", "deploy" })
        {
            CopyDirectory(RepoPaths.File(dir), Path.Combine(checkout.Path, dir)); // files the examples name (config/policygate.toml, deploy/...)
        }

        Dictionary<int, int> ports = new()
        {
            [8443] = TestNode.FreePort(), [9080] = TestNode.FreePort(), [9090] = TestNode.FreePort(),
            [3128] = TestNode.FreePort(), [8080] = TestNode.FreePort(), [2222] = TestNode.FreePort(),
        };
        checkout.Write("ports.toml", $"""
            # Only the listeners differ from `serve --demo` without a config file (data_dir ./data of this directory).
            [edge]
            listen = ["127.0.0.1:{ports[8443]}"]
            [admin]
            listen = "127.0.0.1:{ports[9080]}"
            [metrics]
            listen = "127.0.0.1:{ports[9090]}"
            [egress]
            listen = "127.0.0.1:{ports[3128]}"
            """);

        await using PolicygateProcess node = PolicygateProcess.Start(
            ["serve", "--demo", "--config", "ports.toml", "--demo-http-port", ports[8080].ToString(System.Globalization.CultureInfo.InvariantCulture), "--demo-tcp-port", ports[2222].ToString(System.Globalization.CultureInfo.InvariantCulture)],
            workingDirectory: checkout.Path);
        Assert.True(await node.WaitForOutputAsync("Try it:", TimeSpan.FromSeconds(60)), node.Stdout + node.Stderr);
        await WaitForDemoAsync(ports[9080], Path.Combine(checkout.Path, "data", "admin.token"));

        string dll = Quote(PolicygateProcess.DllPath);
        string bashPrelude = "cd " + Quote(checkout.Path) + "\n"
            + "policygate() {\n"
            + "  if [ \"$1\" = egress ]; then dotnet " + dll + " \"$@\" --config " + Quote(Path.Combine(checkout.Path, "ports.toml")) + ";\n"
            + "  else dotnet " + dll + " \"$@\"; fi\n"
            + "}\n";
        foreach ((string page, List<DocExample> examples) in all.Where(p => p.Examples.Any(e => e.NoRunReason is null)))
        {
            string script = bashPrelude + DocExampleScript.Build(examples, ports);
            string file = Path.Combine(checkout.Path, Path.GetFileNameWithoutExtension(page) + ".examples.sh");
            await File.WriteAllTextAsync(file, script);
            (int exit, string output) = await ToolRun.RunAsync("bash", [file], timeout: TimeSpan.FromSeconds(120));
            Assert.True(exit == 0, $"{Path.GetRelativePath(RepoPaths.Root, page)}:\n{output}\n(node stderr: {node.Stderr})");
        }
    }

    private static async Task WaitForDemoAsync(int adminPort, string tokenFile)
    {
        using HttpClient admin = new() { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(tokenFile).Trim());
        for (int attempt = 0; attempt < 150; attempt++)
        {
            string instances = await admin.GetStringAsync("/api/v1/instances?app_id=demo");
            if (instances.Contains("\"demo1\"", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail("the demo app was not registered within 30 s");
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (string dir in Directory.GetDirectories(source))
        {
            CopyDirectory(dir, Path.Combine(target, Path.GetFileName(dir)));
        }
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
