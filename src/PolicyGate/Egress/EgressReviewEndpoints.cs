using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using PolicyGate.Admin;
using PolicyGate.Core.Policy;
using PolicyGate.Core.Policy.Egress;
using PolicyGate.Store;

namespace PolicyGate.Egress;

/// <summary>GET /egress/learned, GET /egress/pending, POST /egress/approve|deny|enforce (DESIGN §8).</summary>
public static class EgressReviewEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/egress/learned", static (string? container, EgressStore store, CancellationToken ct) => ListAsync(store, true, container, ct));
        api.MapGet("/egress/pending", static (string? container, EgressStore store, CancellationToken ct) => ListAsync(store, false, container, ct));
        api.MapPost("/egress/approve", static (HttpContext context, EgressStore store) => DecideAsync(context, store, EgressAction.Allow));
        api.MapPost("/egress/deny", static (HttpContext context, EgressStore store) => DecideAsync(context, store, EgressAction.Deny));
        api.MapPost("/egress/enforce", EnforceAsync);
    }

    private static async Task<IResult> ListAsync(EgressStore store, bool learned, string? container, CancellationToken ct)
    {
        List<EgressDestinationStats> rows = await store.Repository.ListAsync(learned, string.IsNullOrEmpty(container) ? null : container, ct);
        return AdminResults.Json(new JsonObject { [learned ? "learned" : "pending"] = EgressJson.Array(rows.Select(EgressJson.Stats)) });
    }

    private static async Task<IResult> DecideAsync(HttpContext context, EgressStore store, EgressAction action)
    {
        (JsonObject? body, IResult? bad) = await EgressJson.ReadObjectAsync(context.Request);
        if (body is null)
        {
            return bad!;
        }

        if (!EgressRuleValidator.TryContainer(body, out string container, out string error)
            || !TryDestination(body, out string host, out int port, out error))
        {
            return EgressJson.Error(400, error);
        }

        string caller = AdminAuthentication.CallerOf(context);
        EgressRule rule = new()
        {
            Id = EgressIds.NewRuleId(),
            Container = container,
            Destination = host,
            Port = port.ToString(CultureInfo.InvariantCulture),
            Action = action,
            CreatedBy = caller,
            Notes = action == EgressAction.Allow ? "approved" : "denied",
            CreatedAt = store.Now,
        };
        string kind = action == EgressAction.Allow ? "admin.egress.approve" : "admin.egress.deny";
        await store.ChangeAsync(ct => EgressRuleEndpoints.Run(store.Repository.AddDecisionRuleAsync(rule, host, port, ct)), kind, rule.Id, caller,
            EgressJson.Rule(rule), context.RequestAborted);
        return AdminResults.Json(EgressJson.Rule(rule));
    }

    private static async Task<IResult> EnforceAsync(HttpContext context, EgressStore store, IInstanceDirectory directory)
    {
        (JsonObject? body, IResult? bad) = await EgressJson.ReadObjectAsync(context.Request);
        if (body is null)
        {
            return bad!;
        }

        if (!EgressJson.TryRequired(body, "container", out string container, out string error)
            || !ContainerPattern.TryParse(container, out ContainerPattern pattern, out error))
        {
            return EgressJson.Error(400, error);
        }

        if (pattern.HasGlob)
        {
            return EgressJson.Error(400, "container must be an instance or app id (no glob) for enforce");
        }

        // An app id also covers what its instances learned.
        HashSet<string> sources = new(StringComparer.Ordinal) { container };
        foreach (InstanceRecord instance in directory.Current.Instances)
        {
            if (string.Equals(instance.AppId, container, StringComparison.OrdinalIgnoreCase))
            {
                sources.Add(instance.InstanceId);
            }
        }

        string caller = AdminAuthentication.CallerOf(context);
        int promoted = await store.ChangeAsync(ct => store.Repository.EnforceAsync(container, sources, caller, store.Now, ct), "admin.egress.enforce",
            container, caller, null, context.RequestAborted);
        return AdminResults.Json(new JsonObject { ["status"] = "enforcing", ["promoted"] = promoted });
    }

    /// <summary>destination is a host or IP (optionally host:port / [v6]:port); port field or 443 otherwise; both must agree.</summary>
    private static bool TryDestination(JsonObject body, out string host, out int port, out string error)
    {
        host = "";
        port = 443;
        if (!EgressJson.TryRequired(body, "destination", out string raw, out error)
            || !EgressJson.TryString(body, "port", null, out string? portText, out error, allowNumber: true))
        {
            return false;
        }

        bool hasPort = raw.StartsWith('[') ? raw.Contains("]:", StringComparison.Ordinal) : raw.Count(c => c == ':') == 1;
        if (!hasPort && raw.Count(c => c == ':') > 1)
        {
            raw = "[" + raw + "]";
        }

        if (!ProxyRequestParser.TryAuthority(raw, 443, out host, out IPAddress? _, out int destinationPort, out string why))
        {
            error = "destination: " + why;
            return false;
        }

        port = destinationPort;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65535)
            {
                error = $"port {portText} out of range";
                return false;
            }

            if (hasPort && p != destinationPort)
            {
                error = $"port {p} conflicts with destination {raw}";
                return false;
            }

            port = p;
        }

        return true;
    }
}
