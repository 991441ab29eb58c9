using System.Text.RegularExpressions;

namespace PolicyGate.Tests.Docs;

/// <summary>
/// One fenced ```sh block of README.md or docs/ (convention: docs/examples.md): run against the demo node, or — with
/// ```sh no-run: REASON — only syntax-checked. Lines `#=> TEXT` / `#=> exit N` check the commands above them.
/// </summary>
public sealed partial record DocExample(string File, int Line, string Code, string? NoRunReason)
{
    public string Where => $"{File}:{Line}";

    /// <summary>Every ```sh block of a Markdown file, and the fences that break the convention (```bash, `no-run` without a reason).</summary>
    public static (List<DocExample> Examples, List<string> Errors) Parse(string file, string displayName)
    {
        List<DocExample> examples = [];
        List<string> errors = [];
        string[] lines = System.IO.File.ReadAllLines(file);
        for (int i = 0; i < lines.Length; i++)
        {
            Match fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                continue;
            }

            int start = i;
            List<string> body = [];
            for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
            {
                body.Add(lines[i]);
            }

            string language = fence.Groups[1].Value;
            string info = fence.Groups[2].Value.Trim();
            if (language is "bash" or "shell" or "zsh" or "shell-session")
            {
                errors.Add($"{displayName}:{start + 1}: ```{language}: write ```sh (run), ```sh no-run: REASON, or ```console for a transcript");
                continue;
            }

            if (language != "sh")
            {
                continue;
            }

            string? reason = null;
            if (info.StartsWith("no-run", StringComparison.Ordinal))
            {
                reason = info["no-run".Length..].TrimStart(':').Trim();
                if (reason.Length == 0)
                {
                    errors.Add($"{displayName}:{start + 1}: ```sh no-run needs a reason (```sh no-run: needs ...)");
                    continue;
                }
            }
            else if (info.Length > 0)
            {
                errors.Add($"{displayName}:{start + 1}: unknown ```sh info '{info}' (only `no-run: REASON`)");
                continue;
            }

            examples.Add(new DocExample(displayName, start + 1, string.Join('\n', body), reason));
        }

        return (examples, errors);
    }

    [GeneratedRegex(@"^\s*```([A-Za-z-]*)(.*)$")]
    private static partial Regex Fence();
}
