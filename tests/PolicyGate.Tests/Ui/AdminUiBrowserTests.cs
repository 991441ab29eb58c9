using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PolicyGate.Cli;
using PolicyGate.Admin.Ui;
using PolicyGate.Tests.Admin;
using PolicyGate.Tests.Egress;
using PolicyGate.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PolicyGate.Tests.Ui;

/// <summary>The admin web UI in a real chromium against a real node: every page, every action through the public API.</summary>
[Collection(UiCollection.Name)]
public sealed class AdminUiBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Wrong_token_shows_the_api_error_and_no_data()
    {
        await using TestNode node = await StartNodeAsync();
        await node.Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", """{"instance_id":"secretweb","app_id":"web","address":"10.0.0.5"}""");
        IPage page = await browser.NewPageAsync();

        IResponse? response = await page.GotoAsync(UiUrl(node));
        Assert.Equal(200, response!.Status);
        Assert.Equal(AdminUiEndpoints.ContentSecurityPolicy, await response.HeaderValueAsync("content-security-policy"));
        await page.FillAsync("#token", "not-the-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.Locator("#error")).ToHaveTextAsync("GET /api/v1/instances → 401: unauthorized");
        await Expect(page.Locator("#page")).ToBeHiddenAsync();
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
        Assert.DoesNotContain("secretweb", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('policygate.admin.token')"));
        Assert.Empty(await page.Context.CookiesAsync());
        await ScreenshotAsync(page, "login-wrong-token");
    }

    [Fact]
    public async Task Instances_page_shows_a_registered_instance_and_the_override_badge_follows_set_and_clear()
    {
        await using TestNode node = await StartNodeAsync();
        IPage page = await SignInAsync(node);
        await node.Admin.OkAsync(HttpMethod.Post, "/api/v1/instances",
            """{"instance_id":"web1","app_id":"web","address":"10.0.0.5","port_policy":{"ports":[{"port":8080,"protocol":"http"},{"port":22,"protocol":"tcp"}],"restrict_mode":true}}""");
        await node.Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", """{"instance_id":"api2","app_id":"api","tenant_id":"default","address":"10.0.0.6"}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();

        ILocator web1 = Row(page, "web1");
        await Expect(web1.Locator("td[data-source]")).ToHaveTextAsync("instance");
        await Expect(web1).ToContainTextAsync("restricted: 22/tcp, 8080/http");
        await Expect(Row(page, "api2").Locator("td[data-source]")).ToHaveTextAsync("none");

        // A bad override: the API's error verbatim, nothing changed.
        await page.GetByRole(AriaRole.Button, new() { Name = "Set override for web1" }).ClickAsync();
        await page.FillAsync("#override-web1", """{"ports":[{"port":70000}],"restrict_mode":true}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save override" }).ClickAsync();
        await Expect(page.Locator("#error")).ToHaveTextAsync("PUT /api/v1/instances/web1/port-policy → 400: port 70000 out of range");
        await Expect(web1.Locator("td[data-source]")).ToHaveTextAsync("instance");

        await page.FillAsync("#override-web1", """{"ports":[{"port":8443,"protocol":"tcp","pp":true}],"restrict_mode":true}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save override" }).ClickAsync();
        await Expect(web1.Locator("td[data-source]")).ToHaveTextAsync("admin");
        await Expect(web1).ToContainTextAsync("restricted: 8443/tcp +pp");
        await Expect(page.Locator("#error")).ToBeHiddenAsync();
        Assert.Equal("admin", (await node.Admin.OkAsync(HttpMethod.Get, "/api/v1/instances/web1/port-policy"))["source"]!.GetValue<string>());
        await ScreenshotAsync(page, "instances");

        // Clearing asks first: Cancel keeps the override, Confirm clears it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear override for web1" }).ClickAsync();
        await Expect(page.Locator("#confirm")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#confirm")).ToBeHiddenAsync();
        Assert.Equal("admin", (await node.Admin.OkAsync(HttpMethod.Get, "/api/v1/instances/web1/port-policy"))["source"]!.GetValue<string>());
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear override for web1" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear override", Exact = true }).ClickAsync();
        await Expect(web1.Locator("td[data-source]")).ToHaveTextAsync("instance");
        Assert.Equal("instance", (await node.Admin.OkAsync(HttpMethod.Get, "/api/v1/instances/web1/port-policy"))["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pending_destination_approved_in_the_ui_lets_the_next_connect_through()
    {
        await using LoopbackBackend backend = LoopbackBackend.Http();
        await using TestNode node = await StartNodeAsync();
        string proxy = node.Options.Egress.Listen;
        string url = $"http://127.0.0.1:{backend.Port}/hello";
        const string writeOut = "\n%{http_connect} %{http_code}";

        // -p makes curl tunnel even plain http through CONNECT.
        Curl.Result denied = await Curl.RunAsync(proxy, url, "agentui", writeOut, "-p");
        Assert.EndsWith("403 000", denied.Stdout.Trim());
        Assert.True(await EgressTestNode.EventuallyAsync(async () =>
            ((JsonArray)(await node.Admin.OkAsync(HttpMethod.Get, "/api/v1/egress/pending?container=agentui"))["pending"]!).Count == 1));
        await node.Admin.OkAsync(HttpMethod.Post, "/api/v1/sessions",
            """{"session_id":"run-42","container":"agentui","ttl_seconds":600,"network_rules":[{"destination":"api.openai.com","port":"443"},{"destination":"evil.example","action":"deny"}]}""");
        string expires = DateTimeOffset.UtcNow.AddMinutes(45).ToString("yyyy-MM-ddTHH:mm:ssZ");
        await node.Admin.OkAsync(HttpMethod.Post, "/api/v1/egress/rules",
            $$"""{"container":"web*","destination":"**.npmjs.org","port":"443","expires_at":"{{expires}}","notes":"release build"}""");

        IPage page = await SignInAsync(node);
        await page.GetByRole(AriaRole.Link, new() { Name = "Egress" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Egress", Level = 1 })).ToBeFocusedAsync();
        ILocator card = page.Locator("[data-container='agentui']");
        await Expect(card).ToContainTextAsync("strict");
        await Expect(page.Locator("tr", new() { HasText = "**.npmjs.org" })).ToContainTextAsync(new Regex(@"in (44|45) m \d+ s"));
        await Expect(Row(page, "run-42")).ToContainTextAsync("allow api.openai.com:443, deny evil.example:*");
        await ScreenshotAsync(page, "egress-pending");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Approve 127.0.0.1:{backend.Port} for agentui" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync($"Approved 127.0.0.1:{backend.Port} for agentui.");
        ILocator rule = page.Locator("tr", new() { HasText = "approved" });
        await Expect(rule.Locator("td[data-source]")).ToHaveTextAsync("global");
        await Expect(rule).ToContainTextAsync("127.0.0.1");

        Curl.Result allowed = await Curl.RunAsync(proxy, url, "agentui", writeOut, "-p");
        Assert.EndsWith("200 200", allowed.Stdout.Trim());
        Assert.Contains("GET /hello HTTP/1.1", allowed.Stdout, StringComparison.Ordinal);

        // Nothing is pending any more, so the card is gone; show the container by name. Mode switch asks first.
        await Expect(card).ToHaveCountAsync(0);
        await page.FillAsync("#container-lookup", "agentui");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        await card.Locator("select").SelectOptionAsync("learn");
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch mode of agentui" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to learn" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("agentui is now learn.");
        Assert.Equal("learn", (await node.Admin.OkAsync(HttpMethod.Get, "/api/v1/egress/containers/agentui/mode"))["mode"]!.GetValue<string>());

        // Learn records a new destination (the private-address guard still refuses it); Enforce turns it into an exact allow rule.
        await using LoopbackBackend other = LoopbackBackend.Http();
        string otherUrl = $"http://127.0.0.1:{other.Port}/learned";
        Assert.EndsWith("403 000", (await Curl.RunAsync(proxy, otherUrl, "agentui", writeOut, "-p")).Stdout.Trim());
        Assert.True(await EgressTestNode.EventuallyAsync(async () =>
            ((JsonArray)(await node.Admin.OkAsync(HttpMethod.Get, "/api/v1/egress/learned?container=agentui"))["learned"]!).Count == 1));
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(card.Locator("table", new() { HasText = "Learned by agentui" })).ToContainTextAsync(other.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ScreenshotAsync(page, "egress");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enforce agentui" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enforce", Exact = true }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("agentui is enforcing.");
        await Expect(page.Locator("tr", new() { HasText = "promoted from learned" })).ToContainTextAsync(other.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(card.Locator("h3")).ToContainTextAsync("strict");
        Assert.EndsWith("200 200", (await Curl.RunAsync(proxy, otherUrl, "agentui", writeOut, "-p")).Stdout.Trim());
    }

    [Fact]
    public async Task Audit_page_turns_red_when_a_segment_is_tampered_with()
    {
        await using TestNode node = await StartNodeAsync(o => o.Audit.CheckpointEvery = TimeSpan.FromSeconds(1));
        await node.Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", """{"instance_id":"audweb","app_id":"aud","address":"10.0.0.7"}""");
        await node.Admin.OkAsync(HttpMethod.Put, "/api/v1/instances/audweb/port-policy", """{"ports":[{"port":443}],"restrict_mode":true}""");
        await node.Admin.OkAsync(HttpMethod.Post, "/api/v1/egress/rules", """{"container":"aud","destination":"example.org"}""");
        Assert.True(await EgressTestNode.EventuallyAsync(async () =>
            (await node.Admin.OkAsync(HttpMethod.Get, "/api/v1/audit/status"))["last_checkpoint"] is not null));

        IPage page = await SignInAsync(node);
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        await Expect(page.Locator("#chain-status")).ToHaveClassAsync(new Regex(@"\bok\b"));
        await Expect(page.Locator("#chain-status")).ToContainTextAsync("Chain valid.");
        await Expect(page.Locator("#last-checkpoint")).ToContainTextAsync("ago (seq 3,");

        await page.FillAsync("#kind-filter", "admin.instance");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        ILocator kinds = page.Locator("table tbody tr td:nth-child(3)");
        await Expect(kinds).ToHaveTextAsync(["admin.instance.register"]);
        await page.FillAsync("#kind-filter", "");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(kinds).ToHaveTextAsync(["admin.egress.rule.create", "admin.port_policy.override_set", "admin.instance.register"]);
        await ScreenshotAsync(page, "audit-valid");

        TamperFirst(Path.Combine(node.DataDir, "audit", "audit-1.jsonl"), "\"subject\":\"audweb\"", "\"subject\":\"audwex\"");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify again" }).ClickAsync();
        await Expect(page.Locator("#chain-status")).ToHaveClassAsync(new Regex(@"\bbroken\b"));
        await Expect(page.Locator("#chain-status")).ToContainTextAsync("Chain BROKEN. First error at seq 1: mac mismatch.");
        Assert.Equal("mac mismatch", (await node.Admin.OkAsync(HttpMethod.Get, "/api/v1/audit/verify"))["first_error"]!["reason"]!.GetValue<string>());
        await ScreenshotAsync(page, "audit");
    }

    [Fact]
    public async Task Inspection_and_bundle_pages_show_what_the_api_answers()
    {
        // The demo backends give a real response for inspection to block (a test card number behind /pii).
        DemoOptions demo = new(TestNode.FreePort(), TestNode.FreePort());
        await using TestNode node = await TestNode.StartAsync(TestNode.CreateOptions(o => o.Demo = true), services => services.AddSingleton(demo));
        Assert.True(await node.Service<DemoHostedService>().Registered.WaitAsync(TimeSpan.FromSeconds(30)));
        using (HttpClient edge = EdgeHttpClient.Create(node.EdgeEndPoint, $"demo-{demo.HttpPort}.localhost"))
        {
            using HttpResponseMessage blocked = await edge.GetAsync("/pii");
            Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        }

        IPage page = await SignInAsync(node);
        await page.GetByRole(AriaRole.Link, new() { Name = "Inspection" }).ClickAsync();
        ILocator tenant = Row(page, "default");
        await Expect(tenant).ToContainTextAsync("block");
        await Expect(tenant).ToContainTextAsync("credit_card");

        // Counters are per process (other tests in this run add to them): the page must show what the API answers now.
        JsonArray verdicts = (JsonArray)(await node.Admin.OkAsync(HttpMethod.Get, "/api/v1/inspection/tenants"))["counters"]!["verdicts"]!;
        JsonNode block = verdicts.First(v => v!["verdict"]!.GetValue<string>() == "block")!;
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        ILocator counters = page.Locator("table", new() { HasText = "Verdict counters by detector" }).Locator("tbody tr");
        await Expect(counters).ToHaveCountAsync(verdicts.Count);
        await Expect(counters.Filter(new() { HasText = block["detector"]!.GetValue<string>() }).Filter(new() { HasText = "block" }))
            .ToContainTextAsync(block["count"]!.GetValue<long>().ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en-US")));
        await ScreenshotAsync(page, "inspection");

        await page.GetByRole(AriaRole.Link, new() { Name = "Policy bundles" }).ClickAsync();
        (HttpStatusCode status, JsonNode? body) = await node.Admin.SendAsync(HttpMethod.Get, "/api/v1/policy/status");
        if (status == HttpStatusCode.NotFound)
        {
            await Expect(page.Locator("#bundles-unavailable")).ToContainTextAsync("GET /api/v1/policy/status → 404");
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, status);
            await Expect(page.Locator("main")).ToContainTextAsync(body!["role"]!.GetValue<string>());
        }

        await ScreenshotAsync(page, "bundles");
    }

    [Fact]
    public async Task The_ui_is_keyboard_usable_and_loads_nothing_from_elsewhere()
    {
        await using TestNode node = await StartNodeAsync();
        IPage page = await browser.NewPageAsync();
        List<string> requests = [];
        List<string> violations = [];
        page.Request += (_, request) => requests.Add(request.Url);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                violations.Add(message.Text);
            }
        };
        await page.GotoAsync(UiUrl(node));
        await Expect(page.Locator("#token")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(TestNode.AdminToken);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Instances", Level = 1 })).ToBeVisibleAsync();

        // A fresh load stays signed in (session storage); Tab from the top reaches the skip link first, then the page links in order.
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Instances", Level = 1 })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(".skip")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Instances" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Egress", Level = 1 })).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Egress" })).ToHaveAttributeAsync("aria-current", "page");

        string origin = new Uri(UiUrl(node)).GetLeftPart(UriPartial.Authority);
        Assert.All(requests, url => Assert.StartsWith(origin + "/", url, StringComparison.Ordinal));
        Assert.Empty(violations);
    }

    private static Task<TestNode> StartNodeAsync(Action<PolicyGate.Configuration.PolicyGateOptions>? configure = null) =>
        TestNode.StartAsync(o =>
        {
            o.Egress.Listen = "127.0.0.1:" + TestNode.FreePort();
            o.Egress.BuiltinLoopback = false;
            o.Egress.DefaultMode = "strict";
            configure?.Invoke(o);
        });

    private static string UiUrl(TestNode node) => $"http://{node.Options.Admin.Listen}/ui/";

    private async Task<IPage> SignInAsync(TestNode node)
    {
        IPage page = await browser.NewPageAsync();
        await page.GotoAsync(UiUrl(node));
        await page.FillAsync("#token", TestNode.AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Instances", Level = 1 })).ToBeVisibleAsync();
        Assert.Equal(TestNode.AdminToken, await page.EvaluateAsync<string?>("sessionStorage.getItem('policygate.admin.token')"));
        return page;
    }

    private static ILocator Row(IPage page, string firstCell) =>
        page.Locator("tbody tr").Filter(new() { Has = page.Locator($"td:first-child:text-is('{firstCell}')") });

    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, name + ".png"), FullPage = true });

    /// <summary>Changes the first occurrence of <paramref name="from"/> in place (same length), as an attacker editing the file would.</summary>
    private static void TamperFirst(string segment, string from, string to)
    {
        Assert.Equal(from.Length, to.Length);
        using FileStream stream = new(segment, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        byte[] bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        int at = Encoding.UTF8.GetString(bytes).IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{from} not in {segment}");
        stream.Position = Encoding.UTF8.GetByteCount(Encoding.UTF8.GetString(bytes)[..at]);
        stream.Write(Encoding.UTF8.GetBytes(to));
    }
}
