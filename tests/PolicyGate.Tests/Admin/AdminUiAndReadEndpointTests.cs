using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PolicyGate.Admin.Ui;
using PolicyGate.Core.Audit;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Admin;

/// <summary>The /ui/ static files (no token, strict headers, admin listener only) and the read endpoints the UI uses.</summary>
public sealed class AdminUiAndReadEndpointTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Ui_files_are_served_without_the_token_with_a_strict_policy_on_the_admin_listener_only()
    {
        using HttpClient anonymous = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _node.Admin.BaseAddress };
        using HttpResponseMessage redirect = await anonymous.GetAsync("/ui");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/ui/", redirect.Headers.Location?.OriginalString);

        using HttpResponseMessage index = await anonymous.GetAsync("/ui/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Equal(AdminUiEndpoints.ContentSecurityPolicy, index.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", index.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", index.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(index.Headers.Contains("Set-Cookie"));
        Assert.Equal("text/javascript", (await anonymous.GetAsync("/ui/js/app.js")).Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/ui/nope.js")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/instances")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _node.Metrics.GetAsync("/ui/")).StatusCode);

        // No inline script or style, and nothing from another origin, in any embedded file.
        AdminUiAssets assets = AdminUiAssets.Load();
        Assert.Contains("index.html", assets.Paths);
        foreach (string path in assets.Paths)
        {
            string text = System.Text.Encoding.UTF8.GetString(assets.Find(path)!.Content);
            Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", text);
            Assert.DoesNotMatch(@"\sstyle=|\son[a-z]+=", path.EndsWith(".html", StringComparison.Ordinal) ? text : "");
            Assert.DoesNotMatch(@"(?<!xmlns="")https?://", text);
        }
    }

    [Fact]
    public async Task Audit_entries_are_newest_first_filtered_by_kind_and_status_names_the_last_checkpoint()
    {
        await _node.Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", """{"instance_id":"a1","app_id":"a","address":"10.0.0.1"}""");
        await _node.Admin.OkAsync(HttpMethod.Post, "/api/v1/instances", """{"instance_id":"a2","app_id":"a","address":"10.0.0.2"}""");
        await _node.Admin.OkAsync(HttpMethod.Put, "/api/v1/instances/a1/port-policy", """{"ports":[{"port":443}],"restrict_mode":true}""");

        JsonArray all = (JsonArray)(await _node.Admin.OkAsync(HttpMethod.Get, "/api/v1/audit/entries"))["entries"]!;
        Assert.Equal([3L, 2L, 1L], all.Select(e => e!["seq"]!.GetValue<long>()));
        JsonArray instances = (JsonArray)(await _node.Admin.OkAsync(HttpMethod.Get, "/api/v1/audit/entries?kind=admin.instance"))["entries"]!;
        Assert.Equal(["a2", "a1"], instances.Select(e => e!["subject"]!.GetValue<string>()));
        Assert.All(instances, e => Assert.Equal("admin.instance.register", e!["kind"]!.GetValue<string>()));
        Assert.Empty((JsonArray)(await _node.Admin.OkAsync(HttpMethod.Get, "/api/v1/audit/entries?kind=admin.inst"))["entries"]!);
        JsonNode newest = await _node.Admin.OkAsync(HttpMethod.Get, "/api/v1/audit/entries?limit=1");
        Assert.Equal("admin.port_policy.override_set", newest["entries"]![0]!["kind"]!.GetValue<string>());
        Assert.False(newest["scan_limited"]!.GetValue<bool>());

        await _node.Admin.ErrorAsync(HttpMethod.Get, "/api/v1/audit/entries?limit=0", null, HttpStatusCode.BadRequest, "limit: must be an integer from 1 to 500, not \"0\"");
        await _node.Admin.ErrorAsync(HttpMethod.Get, "/api/v1/audit/entries?kind=Edge%20deny", null, HttpStatusCode.BadRequest,
            "kind: must be 1-100 characters of a-z, 0-9, '_' and '.'");

        JsonNode before = await _node.Admin.OkAsync(HttpMethod.Get, "/api/v1/audit/status");
        Assert.Equal(3, before["last_seq"]!.GetValue<long>());
        Assert.Equal(30, before["checkpoint_every_seconds"]!.GetValue<double>());
        await _node.Service<AuditChainWriter>().CheckpointAsync();
        JsonNode after = await _node.Admin.OkAsync(HttpMethod.Get, "/api/v1/audit/status");
        Assert.Equal(3, after["last_checkpoint"]!["seq"]!.GetValue<long>());
        DateTimeOffset at = DateTimeOffset.Parse(after["last_checkpoint"]!["ts"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow - at, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        string metrics = await _node.Metrics.GetStringAsync("/metrics");
        Match sample = Regex.Match(metrics, @"(?m)^policygate_audit_last_checkpoint_timestamp_seconds (\S+)$");
        Assert.True(sample.Success, "checkpoint timestamp metric missing");
        Assert.InRange(double.Parse(sample.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), at.ToUnixTimeSeconds() - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    [Fact]
    public async Task Inspection_tenants_lists_modes_detectors_and_counters_without_protected_strings()
    {
        JsonNode body = await _node.Admin.OkAsync(HttpMethod.Get, "/api/v1/inspection/tenants");
        JsonObject tenant = body["tenants"]![0]!.AsObject();
        Assert.Equal("default", tenant["tenant_id"]!.GetValue<string>());
        Assert.Equal("block", tenant["mode"]!.GetValue<string>());
        Assert.Equal(PolicyGate.Core.Inspection.DetectorNames.All.Order(StringComparer.Ordinal), tenant["detectors"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(0, tenant["protected_strings"]!.GetValue<int>());
        Assert.NotNull(body["counters"]!["verdicts"]!.AsArray());
        Assert.True(body["counters"]!["disagreements"]!.GetValue<long>() >= 0);
    }
}
