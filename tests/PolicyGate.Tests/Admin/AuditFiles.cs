using System.Text.Json.Nodes;

namespace PolicyGate.Tests.Admin;

/// <summary>Reads the node's real audit chain files (JSON lines) as a user would.</summary>
public static class AuditFiles
{
    public static List<JsonObject> ReadAll(string auditDir)
    {
        List<JsonObject> entries = [];
        if (!Directory.Exists(auditDir))
        {
            return entries;
        }

        foreach (string file in Directory.GetFiles(auditDir, "audit-*.jsonl").Order(StringComparer.Ordinal))
        {
            using FileStream stream = new(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using StreamReader reader = new(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0 && JsonNode.Parse(line) is JsonObject entry)
                {
                    entries.Add(entry);
                }
            }
        }

        return entries;
    }

    /// <summary>Waits (bounded) until an entry of <paramref name="kind"/> about <paramref name="subject"/> is on disk, and returns it.</summary>
    public static async Task<JsonObject> WaitForAsync(string auditDir, string kind, string subject, int nth = 1)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            List<JsonObject> matches = ReadAll(auditDir).FindAll(e => (string?)e["kind"] == kind && (string?)e["subject"] == subject);
            if (matches.Count >= nth)
            {
                return matches[nth - 1];
            }

            Assert.True(DateTime.UtcNow < deadline, $"no audit entry {kind} for {subject} in {auditDir}");
            await Task.Delay(50);
        }
    }
}
