using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyGate.Admin;
using PolicyGate.Core.Policy.Egress;

namespace PolicyGate.Egress;

/// <summary>POST /sessions (upsert), POST /sessions/{id}/heartbeat, DELETE /sessions/{id}, GET /sessions (DESIGN §8).</summary>
public static class EgressSessionEndpoints
{
    public const int DefaultTtlSeconds = 900;
    public const int MaxTtlSeconds = 3600;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/sessions", static (EgressStore store) =>
        {
            DateTimeOffset now = store.Now;
            IEnumerable<EgressSession> live = store.Current.Sessions.Where(s => s.IsLive(now)).OrderBy(s => s.CreatedAt);
            return AdminResults.Json(new JsonObject { ["sessions"] = EgressJson.Array(live.Select(s => EgressJson.Session(s, now))) });
        });
        api.MapPost("/sessions", UpsertAsync);
        api.MapPost("/sessions/{id}/heartbeat", HeartbeatAsync);
        api.MapDelete("/sessions/{id}", DeleteAsync);
    }

    private static async Task<IResult> UpsertAsync(HttpContext context, EgressStore store)
    {
        (JsonObject? body, IResult? bad) = await EgressJson.ReadObjectAsync(context.Request);
        if (body is null)
        {
            return bad!;
        }

        if (!EgressJson.TryRequired(body, "session_id", out string sessionId, out string error)
            || !ValidSessionId(sessionId, out error)
            || !EgressRuleValidator.TryContainer(body, out string container, out error)
            || !TryBool(body, "allow_all", out bool allowAll, out error)
            || !TryTtl(body, out int ttl, out error)
            || !TryRules(body, out List<(string Destination, string Port, EgressAction Action)> specs, out error))
        {
            return EgressJson.Error(400, error);
        }

        string caller = AdminAuthentication.CallerOf(context);
        DateTimeOffset now = store.Now;
        DateTimeOffset expires = now.AddSeconds(ttl);
        EgressSession session = new()
        {
            SessionId = sessionId,
            Container = container,
            AllowAll = allowAll,
            TtlSeconds = ttl,
            CreatedAt = now,
            ExpiresAt = expires,
            Sequence = EgressRepository.NextSequence(),
        };
        List<EgressRule> rules = specs.Select(s => new EgressRule
        {
            Id = EgressIds.NewSessionRuleId(),
            Container = container,
            Destination = s.Destination,
            Port = s.Port,
            Action = s.Action,
            SessionId = sessionId,
            ExpiresAt = expires,
            CreatedBy = caller,
            Notes = "session " + sessionId,
            CreatedAt = now,
            Source = EgressLayers.Session,
        }).ToList();
        JsonObject details = new() { ["container"] = container, ["allow_all"] = allowAll, ["ttl_seconds"] = ttl, ["rules"] = rules.Count };
        await store.ChangeAsync(ct => store.Repository.UpsertSessionAsync(session, rules, ct), "admin.egress.session.upsert", sessionId, caller,
            details, context.RequestAborted);
        return AdminResults.Json(new JsonObject
        {
            ["session_id"] = sessionId,
            ["expires_at"] = EgressJson.Time(expires),
            ["rules_created"] = rules.Count,
        });
    }

    private static async Task<IResult> HeartbeatAsync(string id, HttpContext context, EgressStore store)
    {
        string caller = AdminAuthentication.CallerOf(context);
        if (!store.Current.Sessions.Any(s => s.SessionId == id && s.IsLive(store.Now)))
        {
            return EgressJson.Error(404, "session not found or expired");
        }

        EgressSession? session = await store.ChangeAsync(ct => store.Repository.HeartbeatAsync(id, store.Now, ct), "admin.egress.session.heartbeat",
            id, caller, null, context.RequestAborted);
        return session is null
            ? EgressJson.Error(404, "session not found or expired")
            : AdminResults.Json(new JsonObject { ["session_id"] = id, ["expires_at"] = EgressJson.Time(session.ExpiresAt) });
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, EgressStore store)
    {
        string caller = AdminAuthentication.CallerOf(context);
        bool deleted = store.Current.Sessions.Any(s => s.SessionId == id)
            && await store.ChangeAsync(ct => store.Repository.DeleteSessionAsync(id, ct), "admin.egress.session.delete", id, caller, null,
                context.RequestAborted);
        return AdminResults.Json(new JsonObject { ["session_id"] = id, ["deleted"] = deleted });
    }

    private static bool ValidSessionId(string id, out string error)
    {
        error = "";
        if (id.Length > 128 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            error = "session_id must be 1..128 characters of letters, digits, '-', '_', '.', ':'";
            return false;
        }

        return true;
    }

    private static bool TryBool(JsonObject body, string name, out bool value, out string error)
    {
        value = false;
        error = "";
        JsonNode? node = body[name];
        if (node is null)
        {
            return true;
        }

        if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            value = node.GetValue<bool>();
            return true;
        }

        error = name + " must be true or false";
        return false;
    }

    private static bool TryTtl(JsonObject body, out int ttl, out string error)
    {
        ttl = DefaultTtlSeconds;
        error = "";
        JsonNode? node = body["ttl_seconds"];
        if (node is null)
        {
            return true;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue(out long raw))
        {
            error = "ttl_seconds must be an integer";
            return false;
        }

        ttl = raw <= 0 ? DefaultTtlSeconds : (int)Math.Min(raw, MaxTtlSeconds);
        return true;
    }

    private static bool TryRules(JsonObject body, out List<(string, string, EgressAction)> rules, out string error)
    {
        rules = [];
        error = "";
        JsonNode? node = body["network_rules"];
        if (node is null)
        {
            return true;
        }

        if (node is not JsonArray array)
        {
            error = "network_rules must be an array";
            return false;
        }

        if (array.Count > 1000)
        {
            error = "network_rules has more than 1000 entries";
            return false;
        }

        for (int i = 0; i < array.Count; i++)
        {
            string prefix = $"network_rules[{i}].";
            if (array[i] is not JsonObject rule)
            {
                error = $"network_rules[{i}] must be an object";
                return false;
            }

            if (!EgressRuleValidator.TryRuleCore(rule, prefix, out string destination, out string port, out EgressAction action, out error))
            {
                return false;
            }

            rules.Add((destination, port, action));
        }

        return true;
    }
}
