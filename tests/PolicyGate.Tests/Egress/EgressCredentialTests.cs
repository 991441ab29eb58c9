using System.Text;
using System.Text.Json.Nodes;
using PolicyGate.Configuration;
using PolicyGate.Core.Audit;

namespace PolicyGate.Tests.Egress;

/// <summary>A Basic user name is an identity only with that container's credential or from a trusted source (DESIGN §8), seen through real curl.</summary>
public sealed class EgressCredentialTests
{
    private const string Secret = "s3cret-0123456789abcdef";

    [Fact]
    public async Task Claimed_user_name_without_credential_is_unknown_and_the_matching_secret_is_honoured()
    {
        await using LoopbackBackend http = LoopbackBackend.Http();
        await using EgressTestNode node = await EgressTestNode.StartAsync(trustedIdentitySources: []);
        await node.PostAsync("/api/v1/egress/rules",
            new JsonObject { ["container"] = "web1", ["destination"] = "127.0.0.1", ["port"] = http.Port.ToString() }.ToJsonString());
        string url = $"http://127.0.0.1:{http.Port}/id";

        // No credential set yet: the claim is not honoured, the caller is unknown-127.0.0.1 and strict mode denies it.
        Curl.Result claimed = await AsAsync(node, url, "web1:anything");
        Assert.EndsWith(" 403", claimed.Stdout);
        Assert.Contains(node.Audit.Events, e => e.Kind == "egress.deny" && e.Subject == "unknown-127.0.0.1");

        (int status, JsonNode? body) = await node.SendAsync(HttpMethod.Put, "/api/v1/egress/containers/web1/credential",
            new JsonObject { ["secret"] = Secret }.ToJsonString());
        Assert.Equal(200, status);
        Assert.Equal("web1", (string?)body!["container"]);
        Assert.Contains(node.Audit.Events, e => e.Kind == "admin.egress.credential.set" && e.Subject == "web1");
        Assert.DoesNotContain(node.Audit.Events, e => (e.Details?.ToJsonString() ?? "").Contains(Secret, StringComparison.Ordinal));

        Assert.EndsWith(" 403", (await AsAsync(node, url, "web1:wrong-0123456789abcdef")).Stdout);
        Assert.EndsWith(" 403", (await AsAsync(node, url, "web1:")).Stdout);
        Assert.EndsWith(" 403", (await AsAsync(node, url, "web2:" + Secret)).Stdout);
        Assert.EndsWith("000 200", (await AsAsync(node, url, "web1:" + Secret)).Stdout);

        // Stored hashed: the secret's bytes are nowhere in the SQLite files.
        foreach (string file in Directory.GetFiles(node.Node.DataDir, "policygate.db*"))
        {
            Assert.DoesNotContain(Secret, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }

        (int deleted, _) = await node.SendAsync(HttpMethod.Delete, "/api/v1/egress/containers/web1/credential");
        Assert.Equal(200, deleted);
        Assert.EndsWith(" 403", (await AsAsync(node, url, "web1:" + Secret)).Stdout);
    }

    [Fact]
    public async Task Peer_in_trusted_identity_sources_is_taken_at_its_word()
    {
        await using LoopbackBackend http = LoopbackBackend.Http();
        await using EgressTestNode node = await EgressTestNode.StartAsync(trustedIdentitySources: ["127.0.0.0/8"]);
        await node.PostAsync("/api/v1/egress/rules",
            new JsonObject { ["container"] = "web1", ["destination"] = "127.0.0.1", ["port"] = http.Port.ToString() }.ToJsonString());

        Assert.EndsWith("000 200", (await AsAsync(node, $"http://127.0.0.1:{http.Port}/id", "web1:anything")).Stdout);
    }

    [Theory]
    [InlineData("web*", """{"secret":"s3cret-0123456789abcdef"}""", "container 'web*' must be a plain name (letters, digits, '.', '_', '-'; no wildcards)")]
    [InlineData("web1", """{"secret":"short"}""", "secret must be 16 to 1024 characters")]
    [InlineData("web1", """{}""", "secret is required")]
    [InlineData("web1", """{"secret":"s3cret-0123456789abcdef","x":1}""", "only secret is accepted")]
    public async Task Bad_credential_requests_are_400_and_change_nothing(string container, string json, string error)
    {
        await using EgressTestNode node = await EgressTestNode.StartAsync(trustedIdentitySources: []);

        (int status, JsonNode? body) = await node.SendAsync(HttpMethod.Put, $"/api/v1/egress/containers/{Uri.EscapeDataString(container)}/credential", json);

        Assert.Equal(400, status);
        Assert.Equal(error, (string?)body!["error"]);
        Assert.DoesNotContain(node.Audit.Events, e => e.Kind.StartsWith("admin.egress.credential", StringComparison.Ordinal));
    }

    [Fact]
    public void Trusted_identity_sources_default_to_loopback_in_dev_and_nothing_in_production()
    {
        EgressOptions options = new();
        Assert.Equal(["127.0.0.0/8", "::1/128"], options.EffectiveTrustedIdentitySources(production: false));
        Assert.Empty(options.EffectiveTrustedIdentitySources(production: true));
        options.TrustedIdentitySources = ["10.8.0.0/24"];
        Assert.Equal(["10.8.0.0/24"], options.EffectiveTrustedIdentitySources(production: true));
    }

    private static Task<Curl.Result> AsAsync(EgressTestNode node, string url, string userAndPassword) =>
        Curl.RunAsync(node.Proxy, url, null, "\n%{http_connect} %{http_code}", "--proxy-user", userAndPassword);
}
