using System.Text.Json.Nodes;

namespace PolicyGate.Tests.Egress;

/// <summary>A CIDR allow rule matches a name through the address it resolves to and exempts it from the private-address guard (DESIGN §8).</summary>
public sealed class EgressCidrNameTests
{
    [Fact]
    public async Task Name_resolving_into_an_allowed_private_cidr_is_allowed_and_outside_it_is_not()
    {
        await using LoopbackBackend http = LoopbackBackend.Http();
        await using EgressTestNode node = await EgressTestNode.StartAsync(builtinLoopback: false);
        string url = $"http://localhost:{http.Port}/id";
        Assert.EndsWith("000 403", (await Curl.RunAsync(node.Proxy, url, "web1")).Stdout);

        // A CIDR that does not hold localhost's address decides nothing for the name.
        await AllowAsync(node, "10.20.0.0/16", http.Port);
        Assert.EndsWith("000 403", (await Curl.RunAsync(node.Proxy, url, "web1")).Stdout);
        Assert.Contains(node.Audit.Events, e => e.Kind == "egress.deny" && e.Reason == "default:strict");

        await AllowAsync(node, "127.0.0.0/8", http.Port);
        Curl.Result allowed = await Curl.RunAsync(node.Proxy, url, "web1");
        Assert.EndsWith("000 200", allowed.Stdout);
        Assert.Contains("GET /id HTTP/1.1", allowed.Stdout, StringComparison.Ordinal);
        // Another container is still refused: the rule is web1's.
        Assert.EndsWith("000 403", (await Curl.RunAsync(node.Proxy, url, "web2")).Stdout);
    }

    [Fact]
    public async Task Wildcard_name_rule_still_does_not_exempt_a_private_address_even_with_cidr_rules_present()
    {
        await using LoopbackBackend http = LoopbackBackend.Http();
        await using EgressTestNode node = await EgressTestNode.StartAsync(builtinLoopback: false);
        await AllowAsync(node, "**.localhost", http.Port, container: "web1");
        await AllowAsync(node, "10.20.0.0/16", http.Port, container: "web1");

        ProxyResponse response = await node.RawAsync(
            $"CONNECT localhost:{http.Port} HTTP/1.1\r\nProxy-Authorization: Basic {EgressTestNode.Basic("web1")}\r\n\r\n");

        Assert.Equal(403, response.Status);
        Assert.Equal("global:private_address", response.Reason);
    }

    private static async Task AllowAsync(EgressTestNode node, string destination, int port, string container = "web1")
    {
        (int status, _) = await node.PostAsync("/api/v1/egress/rules",
            new JsonObject { ["container"] = container, ["destination"] = destination, ["port"] = port.ToString() }.ToJsonString());
        Assert.Equal(200, status);
    }
}
