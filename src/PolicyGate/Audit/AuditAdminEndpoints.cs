using System.Globalization;
using System.Text.Json.Nodes;
using PolicyGate.Admin;
using PolicyGate.Configuration;
using PolicyGate.Core.Audit;

namespace PolicyGate.Audit;

/// <summary>GET /audit/entries (the newest entries, filtered by kind) and GET /audit/status (head seq, last checkpoint).</summary>
public static class AuditAdminEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
    private const int MaxKindLength = 100;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit/entries", EntriesAsync);
        api.MapGet("/audit/status", StatusAsync);
    }

    private static async Task<IResult> EntriesAsync(HttpContext context, AuditChainWriter writer, AuditKeyMaterial keys)
    {
        if (!TryLimit(context.Request.Query["limit"], out int limit, out string? error) || !TryKind(context.Request.Query["kind"], out string? kind, out error))
        {
            return AdminResults.BadRequest(error!);
        }

        await FlushQuietlyAsync(writer);
        (List<JsonObject> entries, bool scanLimited) = await Task.Run(() => AuditTailReader.ReadLatest(keys.Directory, k => Matches(kind, k), limit));
        return AdminResults.Json(new JsonObject
        {
            ["entries"] = new JsonArray([.. entries]),
            ["scan_limited"] = scanLimited,
        });
    }

    private static async Task<IResult> StatusAsync(AuditChainWriter writer, AuditKeyMaterial keys, PolicyGateOptions options)
    {
        await FlushQuietlyAsync(writer);
        JsonObject? checkpoint = await Task.Run(() => AuditTailReader.ReadLastCheckpoint(keys.Directory));
        return AdminResults.Json(new JsonObject
        {
            ["last_seq"] = writer.LastWrittenSeq,
            ["last_checkpoint"] = checkpoint is null ? null : new JsonObject
            {
                ["seq"] = checkpoint["seq"]?.DeepClone(),
                ["ts"] = checkpoint["ts"]?.DeepClone(),
                ["key_id"] = checkpoint["key_id"]?.DeepClone(),
            },
            ["checkpoint_every_seconds"] = options.Audit.CheckpointEvery.TotalSeconds,
            ["writer_error"] = writer.Failure?.Message,
        });
    }

    /// <summary>A kind filter keeps that kind and every kind below it: "admin" keeps "admin.instance.register".</summary>
    public static bool Matches(string? filter, string kind) =>
        filter is null || kind == filter || (kind.Length > filter.Length && kind.StartsWith(filter, StringComparison.Ordinal) && kind[filter.Length] == '.');

    private static bool TryLimit(string? text, out int limit, out string? error)
    {
        limit = DefaultLimit;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit)
        {
            return true;
        }

        error = $"limit: must be an integer from 1 to {MaxLimit}, not \"{text}\"";
        return false;
    }

    private static bool TryKind(string? text, out string? kind, out string? error)
    {
        kind = string.IsNullOrEmpty(text) ? null : text;
        error = null;
        if (kind is null || (kind.Length <= MaxKindLength && kind.All(static c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.')))
        {
            return true;
        }

        error = $"kind: must be 1-{MaxKindLength} characters of a-z, 0-9, '_' and '.'";
        return false;
    }

    private static async Task FlushQuietlyAsync(AuditChainWriter writer)
    {
        try
        {
            await writer.FlushAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // a failed writer still has its files: answer what is on disk (writer_error says why)
        }
    }
}
