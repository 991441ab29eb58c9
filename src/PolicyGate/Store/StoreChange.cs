using System.Text.Json;

namespace PolicyGate.Store;

/// <summary>
/// What one committed write changed, as carried by a NOTIFY payload (DESIGN §12): the table, the row's key and the
/// operation ("upsert", "delete", "heartbeat"); a heartbeat carries the new last_seen so receivers need no read.
/// Payload: <c>{"table":"instances","key":"web_1","op":"heartbeat","at":1767225600000}</c>.
/// </summary>
public sealed record StoreChange(string Table, string Key, string Op, long? At = null)
{
    public const string Upsert = "upsert";
    public const string Delete = "delete";
    public const string Heartbeat = "heartbeat";

    public string ToPayload()
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter json = new(buffer))
        {
            json.WriteStartObject();
            json.WriteString("table", Table);
            json.WriteString("key", Key);
            json.WriteString("op", Op);
            if (At is long at)
            {
                json.WriteNumber("at", at);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses a payload; null for anything malformed (the receiver then falls back to a full resync).</summary>
    public static StoreChange? Parse(string payload)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(payload);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("table", out JsonElement table) || table.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("key", out JsonElement key) || key.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("op", out JsonElement op) || op.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            long? at = root.TryGetProperty("at", out JsonElement a) && a.TryGetInt64(out long v) ? v : null;
            return new StoreChange(table.GetString()!, key.GetString()!, op.GetString()!, at);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
