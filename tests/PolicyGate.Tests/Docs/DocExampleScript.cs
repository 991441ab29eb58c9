using System.Text;
using System.Text.RegularExpressions;

namespace PolicyGate.Tests.Docs;

/// <summary>
/// Turns one page's ```sh examples into one bash script (variables carry over between the blocks of a page): each run of
/// commands up to a `#=>` check is one step whose output and exit status are checked; the first failing step prints
/// `FAIL file:line: why` and its output, and ends the script with exit 1.
/// </summary>
public static partial class DocExampleScript
{
    public static string Build(IEnumerable<DocExample> examples, IReadOnlyDictionary<int, int> ports)
    {
        StringBuilder sb = new();
        sb.Append("""
            set -o pipefail
            __out=$(mktemp)
            __step() { # where expected-exit expected-text...
              local where=$1 want=$2 rc=$3; shift 3
              if [ "$want" = 0 ] && [ "$__err" != 0 ]; then echo "FAIL $where: '$__errcmd' exited $__err"; cat "$__out"; exit 1; fi
              if [ "$rc" != "$want" ]; then echo "FAIL $where: exit $rc, the text says $want"; cat "$__out"; exit 1; fi
              for text in "$@"; do
                if ! grep -qF -- "$text" "$__out"; then echo "FAIL $where: output lacks '$text'"; cat "$__out"; exit 1; fi
              done
              echo "ok   $where"
            }

            """);
        foreach (DocExample example in examples.Where(e => e.NoRunReason is null))
        {
            List<string> step = [];
            List<string> expected = [];
            int want = 0;
            int stepLine = example.Line + 1;
            string[] lines = Substitute(example.Code, ports).Split('\n');
            for (int i = 0; i <= lines.Length; i++)
            {
                string? line = i < lines.Length ? lines[i] : null;
                Match check = line is null ? Match.Empty : Check().Match(line);
                if (check.Success)
                {
                    string text = check.Groups[1].Value.Trim();
                    Match exit = ExitCheck().Match(text);
                    if (exit.Success)
                    {
                        want = int.Parse(exit.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        expected.Add(text);
                    }

                    bool nextIsCheck = i + 1 < lines.Length && Check().IsMatch(lines[i + 1]);
                    if (nextIsCheck)
                    {
                        continue;
                    }
                }

                if (line is not null && !check.Success)
                {
                    step.Add(line);
                    continue;
                }

                if (step.Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')))
                {
                    sb.Append("__err=0; __errcmd=; trap '__err=$?; __errcmd=$BASH_COMMAND' ERR\n{\n");
                    sb.Append(string.Join('\n', step)).Append('\n');
                    sb.Append("} >\"$__out\" 2>&1 </dev/null; __rc=$?; trap - ERR\n");
                    sb.Append($"__step {Quote(example.File + ":" + stepLine)} {want} \"$__rc\"");
                    foreach (string text in expected)
                    {
                        sb.Append(' ').Append(Quote(text));
                    }

                    sb.Append('\n');
                }

                step.Clear();
                expected.Clear();
                want = 0;
                stepLine = example.Line + 2 + i;
            }
        }

        return sb.ToString();
    }

    /// <summary>The documented default ports (8443 edge, 9080 admin, 9090 metrics, 3128 egress, 8080/2222 demo) → the test node's.</summary>
    public static string Substitute(string code, IReadOnlyDictionary<int, int> ports) =>
        Port().Replace(code, m => ports.TryGetValue(int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture), out int actual)
            ? actual.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : m.Value);

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^\s*#=>\s?(.*)$")]
    private static partial Regex Check();

    [GeneratedRegex(@"^exit (\d+)$")]
    private static partial Regex ExitCheck();

    [GeneratedRegex(@"(?<!\d)(8443|9080|9090|3128|8080|2222)(?!\d)")]
    private static partial Regex Port();
}
