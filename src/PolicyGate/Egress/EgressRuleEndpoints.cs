using System.Globalization;
using System.Text.Json.Nodes;
using PolicyGate.Admin;
using PolicyGate.Core.Policy.Egress;

namespace PolicyGate.Egress;

/// <summary>GET/POST /egress/rules, DELETE /egress/rules/{id}, GET/PUT /egress/containers/{c}/mode.</summary>
public static class EgressRuleEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/egress/rules", static (EgressStore store) =>
        {
            EgressRuleSet set = store.Current;
            DateTimeOffset now = store.Now;
            IEnumerable<EgressRule> live = set.Rules.Where(r => r.IsLive(now)).Concat(set.Builtin);
            return AdminResults.Json(new JsonObject { ["rules"] = EgressJson.Array(live.Select(EgressJson.Rule)) });
        });
        api.MapPost("/egress/rules", CreateAsync);
        api.MapDelete("/egress/rules/{id}", DeleteAsync);
        api.MapGet("/egress/containers/{container}/mode", static (string container, EgressStore store) => ModeResult(store, container));
        api.MapPut("/egress/containers/{container}/mode", SetModeAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, EgressStore store)
    {
        (JsonObject? body, IResult? bad) = await EgressJson.ReadObjectAsync(context.Request);
        if (body is null)
        {
            return bad!;
        }

        if (!EgressRuleValidator.TryContainer(body, out string container, out string error)
            || !EgressRuleValidator.TryRuleCore(body, "", out string destination, out string port, out EgressAction action, out error)
            || !EgressJson.TryString(body, "notes", "", out string? notes, out error)
            || !TryExpiry(body, store.Now, out DateTimeOffset? expires, out error))
        {
            return EgressJson.Error(400, error);
        }

        string caller = AdminAuthentication.CallerOf(context);
        EgressRule rule = new()
        {
            Id = EgressIds.NewRuleId(),
            Container = container,
            Destination = destination,
            Port = port,
            Action = action,
            ExpiresAt = expires,
            CreatedBy = caller,
            Notes = notes ?? "",
            CreatedAt = store.Now,
        };
        await store.ChangeAsync(ct => Run(store.Repository.InsertRulesAsync([rule], ct)), "admin.egress.rule.create", rule.Id, caller,
            EgressJson.Rule(rule), context.RequestAborted);
        return AdminResults.Json(EgressJson.Rule(rule));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, EgressStore store, Cluster.ActiveBundle bundle)
    {
        if (Cluster.BundleManagedData.EgressRule(bundle, id) is { } managed)
        {
            return EgressJson.Error(409, managed);
        }

        EgressRule? rule = store.Current.Rules.FirstOrDefault(r => r.Id == id);
        if (store.Current.Builtin.Any(r => r.Id == id))
        {
            return EgressJson.Error(409, $"rule {id} is builtin (set egress.builtin_loopback = false to drop it)");
        }

        if (rule?.SessionId is { } session)
        {
            return EgressJson.Error(409, $"rule {id} belongs to session {session}; delete the session");
        }

        string caller = AdminAuthentication.CallerOf(context);
        bool deleted = await store.ChangeAsync(ct => store.Repository.DeleteRuleAsync(id, ct), "admin.egress.rule.delete", id, caller, null,
            context.RequestAborted);
        return deleted
            ? AdminResults.Json(new JsonObject { ["id"] = id, ["deleted"] = true })
            : EgressJson.Error(404, $"rule {id} not found");
    }

    private static async Task<IResult> SetModeAsync(string container, HttpContext context, EgressStore store)
    {
        if (!ContainerPattern.TryParse(container, out _, out string error))
        {
            return EgressJson.Error(400, error);
        }

        (JsonObject? body, IResult? bad) = await EgressJson.ReadObjectAsync(context.Request);
        if (body is null)
        {
            return bad!;
        }

        if (!EgressJson.TryString(body, "mode", null, out string? raw, out error) || !EgressNames.TryParseMode(raw, out EgressMode mode))
        {
            return EgressJson.Error(400, error.Length > 0 ? error : "mode must be \"learn\" or \"strict\"");
        }

        string caller = AdminAuthentication.CallerOf(context);
        await store.ChangeAsync(ct => Run(store.Repository.SetModeAsync(container, mode, store.Now, ct)), "admin.egress.mode", container, caller,
            new JsonObject { ["mode"] = EgressNames.Of(mode) }, context.RequestAborted);
        return ModeResult(store, container);
    }

    private static IResult ModeResult(EgressStore store, string container) => AdminResults.Json(new JsonObject
    {
        ["container"] = container,
        ["mode"] = EgressNames.Of(store.Current.ModeOf(container)),
    });

    private static bool TryExpiry(JsonObject body, DateTimeOffset now, out DateTimeOffset? expires, out string error)
    {
        expires = null;
        if (!EgressJson.TryString(body, "expires_at", null, out string? raw, out error) || raw is null)
        {
            return error.Length == 0;
        }

        if (!DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
        {
            error = "expires_at must be an RFC 3339 timestamp";
            return false;
        }

        if (parsed <= now)
        {
            error = "expires_at is in the past";
            return false;
        }

        expires = parsed.ToUniversalTime();
        return true;
    }

    internal static async Task<bool> Run(Task task)
    {
        await task;
        return true;
    }
}
