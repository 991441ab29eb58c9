using System.Text;
using System.Text.Json.Nodes;

namespace PolicyGate.Cli;

/// <summary>Renders JSON rows as an aligned text table (missing/null cells as "-").</summary>
public static class EgressTable
{
    public static string Render(JsonArray rows, params (string Header, string Field)[] columns)
    {
        List<string[]> cells = [columns.Select(c => c.Header).ToArray()];
        foreach (JsonNode? row in rows)
        {
            cells.Add(columns.Select(c => row?[c.Field] is { } v ? v.ToString() : "-").Select(v => v.Length == 0 ? "-" : v).ToArray());
        }

        int[] widths = columns.Select((_, i) => cells.Max(r => r[i].Length)).ToArray();
        StringBuilder sb = new();
        foreach (string[] row in cells)
        {
            sb.AppendLine(string.Join("  ", row.Select((v, i) => i == row.Length - 1 ? v : v.PadRight(widths[i]))).TrimEnd());
        }

        if (rows.Count == 0)
        {
            sb.AppendLine("(none)");
        }

        return sb.ToString();
    }
}
