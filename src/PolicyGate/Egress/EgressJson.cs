using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyGate.Admin;
using PolicyGate.Core.Policy.Egress;

namespace PolicyGate.Egress;

/// <summary>Admin API JSON for egress: strict body reading with field-naming errors, and the response shapes.</summary>
public static class EgressJson
{
    public static IResult Error(int status, string message) => AdminResults.Error(status, message);

    /// <summary>Reads the body as one JSON object; null + a 400 result otherwise.</summary>
    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request)
    {
        byte[]? bytes = await AdminRequestBody.ReadAsync(request, request.HttpContext.RequestAborted);
        if (bytes is null)
        {
            return (null, AdminRequestBody.TooLarge());
        }

        try
        {
            JsonNode? node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
            return node is JsonObject o ? (o, null) : (null, Error(400, "body must be a JSON object"));
        }
        catch (JsonException)
        {
            return (null, Error(400, "body is not valid JSON"));
        }
    }

    /// <summary>A string field: absent/null → <paramref name="fallback"/>; numbers are accepted when <paramref name="allowNumber"/>.</summary>
    public static bool TryString(JsonObject body, string name, string? fallback, out string? value, out string error, bool allowNumber = false)
    {
        value = fallback;
        error = "";
        JsonNode? node = body[name];
        if (node is null)
        {
            return true;
        }

        if (node is JsonValue v && v.TryGetValue(out string? s))
        {
            value = s;
            return true;
        }

        if (allowNumber && node is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.TryGetValue(out long number))
        {
            value = number.ToString(CultureInfo.InvariantCulture);
            return true;
        }

        error = allowNumber ? $"{name} must be a string or a number" : $"{name} must be a string";
        return false;
    }

    public static bool TryRequired(JsonObject body, string name, out string value, out string error)
    {
        value = "";
        if (!TryString(body, name, null, out string? s, out error))
        {
            return false;
        }

        if (string.IsNullOrEmpty(s))
        {
            error = name + " is required";
            return false;
        }

        value = s;
        return true;
    }

    public static JsonObject Rule(EgressRule rule) => new()
    {
        ["id"] = rule.Id,
        ["container"] = rule.Container,
        ["destination"] = rule.Destination,
        ["port"] = rule.Port,
        ["action"] = EgressNames.Of(rule.Action),
        ["session_id"] = rule.SessionId,
        ["expires_at"] = rule.ExpiresAt is { } e ? Time(e) : null,
        ["created_by"] = rule.CreatedBy,
        ["notes"] = rule.Notes,
        ["created_at"] = rule.Source == EgressLayers.Builtin ? null : Time(rule.CreatedAt),
        ["source"] = rule.Source,
    };

    public static JsonObject Session(EgressSession session, DateTimeOffset now) => new()
    {
        ["session_id"] = session.SessionId,
        ["container"] = session.Container,
        ["allow_all"] = session.AllowAll,
        ["ttl_seconds"] = session.TtlSeconds,
        ["created_at"] = Time(session.CreatedAt),
        ["expires_at"] = Time(session.ExpiresAt),
        ["live"] = session.IsLive(now),
    };

    public static JsonObject Stats(EgressDestinationStats s) => new()
    {
        ["container"] = s.Container,
        ["host"] = s.Host,
        ["port"] = s.Port,
        ["count"] = s.Count,
        ["first_seen"] = Time(s.FirstSeen),
        ["last_seen"] = Time(s.LastSeen),
    };

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static JsonArray Array(IEnumerable<JsonObject> items) => new(items.Cast<JsonNode?>().ToArray());
}
