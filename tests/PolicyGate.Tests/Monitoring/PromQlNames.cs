using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PolicyGate.Tests.Monitoring;

/// <summary>Pulls the expressions out of the shipped rules and dashboard files and the metric names out of PromQL.</summary>
internal static partial class PromQlNames
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
        "inf", "nan",
    };

    /// <summary>Series Prometheus makes up itself (never exported by a target).</summary>
    public static readonly IReadOnlySet<string> Synthetic = new HashSet<string>(StringComparer.Ordinal) { "up" };

    /// <summary>Every `expr:` of a rules file: single-line values and `|` blocks.</summary>
    public static List<string> RuleExpressions(string yaml)
    {
        List<string> expressions = [];
        string[] lines = yaml.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            Match m = ExprLine().Match(lines[i]);
            if (!m.Success)
            {
                continue;
            }

            string value = m.Groups["value"].Value.Trim();
            if (value != "|")
            {
                expressions.Add(value);
                continue;
            }

            int indent = m.Groups["indent"].Value.Length;
            List<string> block = [];
            while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent))
            {
                block.Add(lines[++i].Trim());
            }

            expressions.Add(string.Join(' ', block));
        }

        return expressions;
    }

    /// <summary>Every "expr" value anywhere in a Grafana dashboard JSON.</summary>
    public static List<string> DashboardExpressions(string json)
    {
        List<string> expressions = [];
        Walk(JsonNode.Parse(json), expressions);
        return expressions;
    }

    /// <summary>The metric names an expression reads (functions, keywords, labels, Grafana variables removed).</summary>
    public static IEnumerable<string> MetricNames(string expression)
    {
        string text = Strings().Replace(expression, " ");
        text = Matchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        text = Variables().Replace(text, " ");
        foreach (Match m in Identifier().Matches(text))
        {
            if (!s_keywords.Contains(m.Value.ToLowerInvariant()))
            {
                yield return m.Value;
            }
        }
    }

    private static void Walk(JsonNode? node, List<string> expressions)
    {
        switch (node)
        {
            case JsonObject o:
                foreach ((string key, JsonNode? value) in o)
                {
                    if (key == "expr" && value is JsonValue v && v.TryGetValue(out string? expr))
                    {
                        expressions.Add(expr);
                    }
                    else
                    {
                        Walk(value, expressions);
                    }
                }

                break;
            case JsonArray a:
                foreach (JsonNode? item in a)
                {
                    Walk(item, expressions);
                }

                break;
        }
    }

    [GeneratedRegex(@"^(?<indent>\s*)(?:-\s+)?expr:\s*(?<value>.*)$")]
    private static partial Regex ExprLine();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\w+")]
    private static partial Regex Variables();

    // A name not preceded by a word character or '.', and not a function call.
    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][\w:]*(?!\w)(?!\s*\()")]
    private static partial Regex Identifier();
}
