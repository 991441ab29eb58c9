using System.Text.RegularExpressions;
using PolicyGate.Configuration;
using PolicyGate.Operations;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Configuration;

/// <summary>docs/configuration.md marks every key live or restart exactly as the reloader treats it.</summary>
public sealed partial class ReloadabilityDocsTests
{
    [Fact]
    public void Every_key_is_marked_and_the_marks_match_the_restart_only_set()
    {
        Dictionary<string, string> marked = [];
        string? table = null;
        foreach (string line in File.ReadLines(RepoPaths.File("docs/configuration.md")))
        {
            Match header = TableHeader().Match(line);
            if (header.Success)
            {
                table = header.Groups[1].Value;
                continue;
            }

            Match row = KeyRow().Match(line);
            if (table is not null && row.Success)
            {
                marked[table + "." + row.Groups[1].Value] = row.Groups[2].Value;
            }
        }

        Assert.Equal(ConfigSchema.Keys.Select(k => k.Path).Order(), marked.Keys.Order());
        Assert.Equal(RestartOnlySettings.Keys.Order(), marked.Where(m => m.Value == "restart").Select(m => m.Key).Order());
        Assert.All(marked.Values, mark => Assert.Contains(mark, new[] { "live", "restart" }));
    }

    [GeneratedRegex(@"^### `\[([a-z_.]+)\]`")]
    private static partial Regex TableHeader();

    [GeneratedRegex(@"^\| `([a-z_]+)` \|.*\| (\w+) \|$")]
    private static partial Regex KeyRow();
}
