using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Audit;
using PolicyGate.Configuration;
using PolicyGate.Core.Audit;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Audit;

/// <summary>The audit chain inside a running node: keys, files, shutdown checkpoint, resume, API and metrics.</summary>
public sealed class AuditNodeTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task DevModeGeneratesOwnerOnlyKeysAndSignsCheckpointsWithNodePub()
    {
        await using TestNode node = await TestNode.StartAsync();
        string dataDir = node.DataDir;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "audit.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "node.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(dataDir, "audit")));
        Assert.Matches("^[0-9a-f]{64}\n$", File.ReadAllText(Path.Combine(dataDir, "audit.key")));
        string pub = File.ReadAllText(Path.Combine(dataDir, "node.pub")).Trim();
        Assert.Matches("^[0-9a-f]{64}$", pub);

        PolicyGate.Operations.IReadinessCheck readiness = Assert.Single(
            node.App.Services.GetServices<PolicyGate.Operations.IReadinessCheck>(), c => c.Name == "audit");
        Assert.Null(readiness.Check());

        IAuditLog log = node.Service<IAuditLog>();
        log.Enqueue(new AuditEvent("edge.deny", "deny", "port_policy", "app-1:22"));
        await node.Service<AuditChainWriter>().CheckpointAsync();
        JsonObject checkpoint = JsonNode.Parse(File.ReadAllLines(Path.Combine(dataDir, "audit", "checkpoints.jsonl"))[^1])!.AsObject();
        Assert.Equal("sha256:" + HexKey.Sha256Hex(Convert.FromHexString(pub)), checkpoint["key_id"]!.GetValue<string>());
        Assert.Equal("test-node", checkpoint["node"]!.GetValue<string>());
        Assert.Equal(1, checkpoint["seq"]!.GetValue<long>());

        // The CLI defaults find audit.key and node.pub next to the audit dir of a dev node.
        PolicyGateProcess.Result result = await PolicyGateProcess.RunAsync(["audit", "verify", Path.Combine(dataDir, "audit")]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1/1 entries valid, 1/1 checkpoints valid", result.Stdout.Trim());
    }

    [Fact]
    public void ProductionWithoutAnAuditKeyIsRefusedNamingTheSetting()
    {
        PolicyGateOptions options = TestNode.CreateOptions(o => o.Node.Mode = "production");
        ConfigException error = Assert.Throws<ConfigException>(() => new ServiceCollection().AddAudit(options));
        Assert.Equal("audit.key_file: production mode needs an audit HMAC key (set audit.key_file or POLICYGATE_AUDIT_KEY)", error.Message);
        Assert.False(File.Exists(Path.Combine(options.DataDirectory, "audit.key")));
    }

    [Fact]
    public void BadSettingsAreConfigErrorsNamingTheKey()
    {
        PolicyGateOptions badFsync = TestNode.CreateOptions(o => o.Audit.Fsync = "sometimes");
        Assert.Equal("audit.fsync: must be \"always\" or \"interval\", got \"sometimes\"",
            Assert.Throws<ConfigException>(() => new ServiceCollection().AddAudit(badFsync)).Message);

        PolicyGateOptions badKey = TestNode.CreateOptions();
        string keyFile = Path.Combine(badKey.BaseDirectory, "short.key");
        File.WriteAllText(keyFile, "abcd");
        badKey.Audit.KeyFile = keyFile;
        badKey.Node.Mode = "production";
        Assert.Equal($"audit.key_file: {keyFile}: expected 64 hex characters, found 4",
            Assert.Throws<ConfigException>(() => new ServiceCollection().AddAudit(badKey)).Message);

        PolicyGateOptions missingKey = TestNode.CreateOptions(o => o.Audit.SigningKeyFile = "absent.key");
        Assert.StartsWith("audit.signing_key_file: cannot read " + Path.Combine(missingKey.BaseDirectory, "absent.key"),
            Assert.Throws<ConfigException>(() => new ServiceCollection().AddAudit(missingKey)).Message);
    }

    [Fact]
    public async Task ProductionWithAKeyFileStarts()
    {
        string keyFile = Path.Combine(Path.GetTempPath(), "pg-audit-key-" + Guid.NewGuid().ToString("N"));
        HexKey.WriteNewFile(keyFile, AuditHmacKey.Generate().RawKey, ownerOnly: true);
        try
        {
            PolicyGateOptions options = TestNode.CreateOptions(o =>
            {
                o.Node.Mode = "production";
                o.Audit.KeyFile = keyFile;
            });
            ServiceProvider services = new ServiceCollection().AddLogging().AddAudit(options).BuildServiceProvider();
            await using (services)
            {
                Assert.Equal(1, await services.GetRequiredService<IAuditLog>().AppendDurableAsync(new AuditEvent("admin.reload", "change", "reload", "config")));
            }
            Assert.False(File.Exists(Path.Combine(options.DataDirectory, "audit.key")));
            Directory.Delete(options.BaseDirectory, recursive: true);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task GracefulStopWritesFinalCheckpointAndRestartResumesTheChain()
    {
        string root = Path.Combine(Path.GetTempPath(), "pg-audit-node-" + Guid.NewGuid().ToString("N")[..12]);
        string auditDir = Path.Combine(root, "audit");
        string keyFile = Path.Combine(root, "audit.key");
        string signingKey = Path.Combine(root, "node.key");
        Directory.CreateDirectory(root);
        HexKey.WriteNewFile(keyFile, AuditHmacKey.Generate().RawKey, ownerOnly: true);
        using (AuditSigningKey key = AuditSigningKey.Generate())
        {
            HexKey.WriteNewFile(signingKey, key.ExportSeed(), ownerOnly: true);
            HexKey.WriteNewFile(Path.Combine(root, "node.pub"), key.PublicKey.RawKey, ownerOnly: false);
        }
        void Configure(PolicyGateOptions o)
        {
            o.Audit.Dir = auditDir;
            o.Audit.KeyFile = keyFile;
            o.Audit.SigningKeyFile = signingKey;
            o.Audit.Fsync = "always";
        }
        try
        {
            await using (TestNode first = await TestNode.StartAsync(Configure))
            {
                IAuditLog log = first.Service<IAuditLog>();
                for (int i = 0; i < 3; i++)
                {
                    log.Enqueue(new AuditEvent("egress.deny", "deny", "strict", "example.com:443"));
                }
            }
            JsonObject final = JsonNode.Parse(File.ReadAllLines(Path.Combine(auditDir, "checkpoints.jsonl"))[^1])!.AsObject();
            Assert.Equal(3, final["seq"]!.GetValue<long>());

            await using (TestNode second = await TestNode.StartAsync(Configure))
            {
                Assert.Equal(4, await second.Service<IAuditLog>().AppendDurableAsync(new AuditEvent("inspection.block", "block", "pii", "app-2")));
            }
            string[] lines = File.ReadAllLines(Path.Combine(auditDir, "audit-1.jsonl"));
            Assert.Equal(4, lines.Length);
            Assert.Equal(JsonNode.Parse(lines[2])!["mac"]!.GetValue<string>(), JsonNode.Parse(lines[3])!["prev"]!.GetValue<string>());

            PolicyGateProcess.Result result = await PolicyGateProcess.RunAsync(["audit", "verify", auditDir, "--key-file", keyFile]);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("4/4 entries valid, 2/2 checkpoints valid", result.Stdout.Trim());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task ConcurrentEnqueueThroughTheNodeYieldsAValidChainAndMetrics()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.Audit.CheckpointEvery = TimeSpan.FromMilliseconds(200));
        IAuditLog log = node.Service<IAuditLog>();
        const int tasks = 8;
        const int perTask = 250;
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < perTask; i++)
            {
                log.Enqueue(new AuditEvent("edge.deny", "deny", "port_policy", $"t{t}-{i}", "tenant-" + t));
            }
        })));
        long durable = await log.AppendDurableAsync(new AuditEvent("inspection.block", "block", "pii", "last"));
        Assert.Equal(tasks * perTask + 1, durable);

        using HttpResponseMessage response = await node.Admin.GetAsync("/api/v1/audit/verify");
        JsonObject report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(report["valid"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Equal(durable, report["entries_total"]!.GetValue<long>());
        Assert.Equal(durable, report["entries_valid"]!.GetValue<long>());

        // Idle checkpoints keep coming while nothing is written (checkpoint_every = 200ms).
        string checkpoints = Path.Combine(node.DataDir, "audit", "checkpoints.jsonl");
        // The first checkpoint may not be written yet: the file appears with it.
        static int Lines(string path) => File.Exists(path) ? File.ReadAllLines(path).Length : 0;
        int before = Lines(checkpoints);
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (Lines(checkpoints) < before + 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.True(Lines(checkpoints) >= before + 2);

        using MemoryStream metrics = new();
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(metrics);
        string text = Encoding.UTF8.GetString(metrics.ToArray());
        Assert.Matches(@"(?m)^# TYPE policygate_audit_entries_total counter$", text);
        Assert.Matches(@"(?m)^# TYPE policygate_audit_last_seq gauge$", text);
        double entries = double.Parse(System.Text.RegularExpressions.Regex.Match(text, @"(?m)^policygate_audit_entries_total (\S+)$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(entries >= durable, $"entries_total {entries}");
    }

    [Fact]
    public async Task ApiVerifiesALiveChainWhileEntriesAreBeingWritten()
    {
        await using TestNode node = await TestNode.StartAsync(o => o.Audit.Fsync = "interval");
        IAuditLog log = node.Service<IAuditLog>();
        using CancellationTokenSource stop = new();
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < 5_000 && !stop.IsCancellationRequested; i++)
            {
                log.Enqueue(new AuditEvent("egress.deny", "deny", "strict", "host-" + i, null, new JsonObject { ["pad"] = new string('p', 100) }));
                if (i % 50 == 0)
                {
                    await Task.Delay(1);
                }
            }
        });
        long previous = 0;
        for (int round = 0; round < 3; round++)
        {
            using HttpResponseMessage response = await node.Admin.GetAsync("/api/v1/audit/verify");
            JsonObject report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.True(report["valid"]!.GetValue<bool>(), report.ToJsonString());
            long total = report["entries_total"]!.GetValue<long>();
            Assert.True(total >= previous, $"{total} < {previous}");
            previous = total;
        }
        stop.Cancel();
        await writer;
        Assert.True(previous > 0);
    }
}
