using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PolicyGate.Tests.Cli;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Deploy;

/// <summary>
/// The Dockerfile as built: its CMD names a config the image has, that config listens where the EXPOSEd ports are reachable,
/// keeps data in the VOLUME, and the same entrypoint against the same config reaches /readyz 200. No container runtime runs
/// here (docker has no daemon), so the image's file system is rendered under a temp root and the entrypoint runs outside it.
/// </summary>
public sealed partial class ContainerImageTests
{
    private static readonly string[] s_lines = File.ReadAllLines(RepoPaths.File("Dockerfile"));

    [Fact]
    public void Dockerfile_pins_bases_runs_unprivileged_and_checks_readiness()
    {
        string[] from = s_lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, from.Length);
        foreach (string line in from)
        {
            // An exact patch tag (or a digest): never a floating major/minor tag like :10.0 or :latest.
            Assert.Matches(@"^FROM \S+:(\d+\.\d+\.\d+)(@sha256:[0-9a-f]{64})?( AS \w+)?$", line);
        }

        Assert.Contains("USER 10001:10001", s_lines);
        string healthcheck = s_lines.Single(l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains("/readyz", healthcheck, StringComparison.Ordinal);
        Assert.Contains("VOLUME [\"/var/lib/policygate\"]", s_lines);
    }

    [Fact]
    public async Task Entrypoint_and_cmd_with_the_image_config_become_ready_and_the_healthcheck_passes()
    {
        string[] entrypoint = JsonArray("ENTRYPOINT");
        string[] cmd = JsonArray("CMD");
        Assert.Equal(["/app/policygate"], entrypoint);
        string workdir = s_lines.Last(l => l.StartsWith("WORKDIR ", StringComparison.Ordinal))["WORKDIR ".Length..];

        using DeploySimulation image = new();
        foreach ((string source, string target) in RuntimeCopies())
        {
            image.Copy(source, target);
        }

        string configPath = cmd[Array.IndexOf(cmd, "--config") + 1];
        Assert.True(File.Exists(image.Map(configPath)), $"CMD names {configPath}, which no COPY puts into the image");
        string toml = File.ReadAllText(image.Map(configPath));
        Assert.Contains("data_dir = \"/var/lib/policygate\"", toml, StringComparison.Ordinal);
        int[] exposed = s_lines.Single(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal))["EXPOSE ".Length..]
            .Split(' ').Select(int.Parse).ToArray();
        foreach (int port in exposed)
        {
            Assert.Contains($"\"0.0.0.0:{port}\"", toml, StringComparison.Ordinal); // reachable through a published port
        }

        File.WriteAllText(image.Map(configPath), image.Relocate(toml));
        Directory.CreateDirectory(image.Map(workdir));
        Directory.CreateDirectory(image.Map("/var/lib/policygate"));
        // What the operator supplies (the config's header): the certificate and two secrets.
        image.WriteCertificate("/etc/policygate/tls/tls.crt", "/etc/policygate/tls/tls.key", "apps.example.com");
        Dictionary<string, string> env = new()
        {
            ["POLICYGATE_ADMIN_TOKEN"] = DeploySimulation.RandomHex32(),
            ["POLICYGATE_AUDIT_KEY"] = DeploySimulation.RandomHex32(),
        };

        await using PolicygateProcess node = image.Start(cmd, env, workdir);
        (HttpStatusCode status, string body) = await image.WaitForReadyAsync(9090, node, TimeSpan.FromSeconds(60));
        Assert.True(status == HttpStatusCode.OK, $"/readyz {status} {body}\n{node.Stdout}\n{node.Stderr}");
        Assert.True(File.Exists(Path.Combine(image.Map("/var/lib/policygate"), "policygate.db")), "the store is not in the data volume");
        foreach (string line in node.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using JsonDocument json = JsonDocument.Parse(line); // production: JSON only on stdout, no plain-text banner
        }

        // The HEALTHCHECK command itself, pointed at the relocated metrics port.
        string healthcheck = s_lines.Single(l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        string[] check = JsonSerializer.Deserialize<string[]>(healthcheck[healthcheck.IndexOf('[', StringComparison.Ordinal)..])!;
        check[^1] = check[^1].Replace("/9090", "/" + image.Ports[9090], StringComparison.Ordinal);
        (int exit, string output) = await ToolRun.RunAsync(check[0], check[1..], timeout: TimeSpan.FromSeconds(10));
        Assert.True(exit == 0, $"HEALTHCHECK failed: {output}");
    }

    private static string[] JsonArray(string instruction)
    {
        string line = s_lines.Single(l => l.StartsWith(instruction + " ", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<string[]>(line[(instruction.Length + 1)..])!;
    }

    /// <summary>COPY lines of the runtime stage that take files from the build context.</summary>
    private static IEnumerable<(string Source, string Target)> RuntimeCopies()
    {
        int runtime = Array.FindLastIndex(s_lines, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        foreach (string line in s_lines.Skip(runtime))
        {
            Match copy = Copy().Match(line);
            if (copy.Success)
            {
                yield return (copy.Groups[1].Value, copy.Groups[2].Value);
            }
        }
    }

    [GeneratedRegex(@"^COPY (?!--from)(\S+) (\S+)$")]
    private static partial Regex Copy();
}
