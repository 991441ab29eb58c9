using System.Text.Json.Nodes;
using PolicyGate.Core.Audit;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Audit;

/// <summary>
/// One pristine chain written by a real node (12 entries, some durable, final checkpoint at graceful stop), with
/// its key files kept outside the node's data dir; tests copy it and tamper with the copy.
/// </summary>
public sealed class AuditChainFixture : IAsyncLifetime
{
    public const int Entries = 12;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "pg-audit-fx-" + Guid.NewGuid().ToString("N")[..12]);
    public string KeyFile => Path.Combine(Root, "audit.key");
    public string SigningKeyFile => Path.Combine(Root, "node.key");
    public string PublicKeyFile => Path.Combine(Root, "node.pub");
    public string PristineDir => Path.Combine(Root, "pristine");
    public string KeyHex { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        AuditHmacKey key = AuditHmacKey.Generate();
        KeyHex = Convert.ToHexStringLower(key.RawKey);
        HexKey.WriteNewFile(KeyFile, key.RawKey, ownerOnly: true);
        using AuditSigningKey signing = AuditSigningKey.Generate();
        HexKey.WriteNewFile(SigningKeyFile, signing.ExportSeed(), ownerOnly: true);
        HexKey.WriteNewFile(PublicKeyFile, signing.PublicKey.RawKey, ownerOnly: false);

        await using TestNode node = await TestNode.StartAsync(Configure(PristineDir));
        IAuditLog log = node.Service<IAuditLog>();
        for (int i = 1; i <= Entries; i++)
        {
            AuditEvent entry = new("admin.instance.register", i % 3 == 0 ? "deny" : "change", "test", "instance-" + i, "tenant-a",
                new JsonObject { ["caller"] = "token", ["before"] = null, ["after"] = new JsonObject { ["port"] = 8000 + i } });
            long seq = i % 4 == 0 ? await log.AppendDurableAsync(entry) : log.Enqueue(entry);
            Assert.Equal(i, seq);
        }
    }

    /// <summary>Node options that write the chain into <paramref name="auditDir"/> with the fixture's keys.</summary>
    public Action<PolicyGate.Configuration.PolicyGateOptions> Configure(string auditDir) => options =>
    {
        options.Audit.Dir = auditDir;
        options.Audit.KeyFile = KeyFile;
        options.Audit.SigningKeyFile = SigningKeyFile;
    };

    /// <summary>A fresh copy of the pristine chain.</summary>
    public string CopyChain()
    {
        string copy = Path.Combine(Root, "copy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(PristineDir))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        return copy;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
