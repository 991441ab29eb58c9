using Microsoft.Extensions.DependencyInjection;
using PolicyGate.Core.Policy;
using PolicyGate.Edge;
using PolicyGate.Operations;
using PolicyGate.Tests.Edge.Support;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Edge;

/// <summary>The dev wildcard certificate is generated once into data_dir/certs and reused; readiness reports it.</summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgeCertificateTests
{
    [Fact]
    public async Task Dev_certificate_is_generated_once_covers_the_wildcard_and_is_reused_on_restart()
    {
        // A data dir outside the node's temp base dir (which TestNode deletes at dispose), shared by both runs.
        string dataDir = Path.Combine(Path.GetTempPath(), "pg-certs-" + Guid.NewGuid().ToString("N")[..12]);
        PolicyGate.Configuration.PolicyGateOptions options = TestNode.CreateOptions(o => o.Node.DataDir = dataDir);
        string thumbprint;
        await using (TestNode first = await TestNode.StartAsync(options))
        {
            await using EdgeClient client = await EdgeClient.ConnectAsync(first.EdgeEndPoint, "health.localhost");
            thumbprint = client.ServerCertificate!.Thumbprint;
            Assert.Contains("*.localhost", client.ServerCertificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.DnsName, false), StringComparison.Ordinal);
            Assert.Null(first.App.Services.GetServices<IReadinessCheck>().Single(c => c.Name == "certs").Check());
        }

        Assert.True(File.Exists(Path.Combine(options.DataDirectory, "certs", "edge-dev.crt")));
        PolicyGate.Configuration.PolicyGateOptions again = TestNode.CreateOptions(o => o.Node.DataDir = options.Node.DataDir);
        await using (TestNode second = await TestNode.StartAsync(again))
        {
            await using EdgeClient client2 = await EdgeClient.ConnectAsync(second.EdgeEndPoint, "health.localhost");
            Assert.Equal(thumbprint, client2.ServerCertificate!.Thumbprint);
        }

        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task Missing_configured_certificate_makes_readiness_fail_with_the_reason()
    {
        await using TestNode node = await TestNode.StartAsync(o =>
        {
            o.Edge.CertFile = "/nonexistent/edge.pem";
            o.Edge.KeyFile = "/nonexistent/edge.key";
        });

        string? reason = node.App.Services.GetServices<IReadinessCheck>().Single(c => c.Name == "certs").Check();

        Assert.NotNull(reason);
        Assert.Contains("/nonexistent/edge.pem", reason, StringComparison.Ordinal);
    }
}
