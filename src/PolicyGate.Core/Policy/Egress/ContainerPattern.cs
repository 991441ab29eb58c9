namespace PolicyGate.Core.Policy.Egress;

/// <summary>A container glob (`*`, `?`, `[abc]`, `[a-z]`, `[!x]`), matched case-insensitively against instance and app ids.</summary>
public sealed class ContainerPattern
{
    private readonly string _pattern;

    private ContainerPattern(string pattern, bool hasGlob)
    {
        _pattern = pattern;
        HasGlob = hasGlob;
    }

    public bool IsAny => _pattern == "*";

    public bool HasGlob { get; }

    /// <summary>Parses a glob; an empty pattern or an unclosed `[` is an error.</summary>
    public static bool TryParse(string? text, out ContainerPattern pattern, out string error)
    {
        pattern = null!;
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            error = "container is required";
            return false;
        }

        if (text.Length > 253)
        {
            error = "container is longer than 253 characters";
            return false;
        }

        bool glob = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                error = "container contains whitespace or control characters";
                return false;
            }

            if (c is '*' or '?')
            {
                glob = true;
            }
            else if (c == '[')
            {
                int close = text.IndexOf(']', i + 1);
                if (close < 0 || close == i + 1 || (close == i + 2 && text[i + 1] == '!'))
                {
                    error = $"container pattern '{text}' has an unclosed or empty [";
                    return false;
                }

                glob = true;
                i = close;
            }
        }

        pattern = new ContainerPattern(text.ToLowerInvariant(), glob);
        return true;
    }

    /// <summary>True when the caller's name or app id matches.</summary>
    public bool Matches(EgressCaller caller) =>
        IsAny || Matches(caller.Name) || (caller.AppId is not null && Matches(caller.AppId));

    public bool Matches(string value)
    {
        if (IsAny)
        {
            return true;
        }

        if (!HasGlob)
        {
            return string.Equals(_pattern, value, StringComparison.OrdinalIgnoreCase);
        }

        return Glob(_pattern.AsSpan(), value.AsSpan());
    }

    public override string ToString() => _pattern;

    private static bool Glob(ReadOnlySpan<char> p, ReadOnlySpan<char> s)
    {
        int pi = 0, si = 0, starP = -1, starS = 0;
        while (si < s.Length)
        {
            if (pi < p.Length && p[pi] == '*')
            {
                starP = pi++;
                starS = si;
                continue;
            }

            if (pi < p.Length && StepOne(p, ref pi, char.ToLowerInvariant(s[si])))
            {
                si++;
                continue;
            }

            if (starP < 0)
            {
                return false;
            }

            pi = starP + 1;
            si = ++starS;
        }

        while (pi < p.Length && p[pi] == '*')
        {
            pi++;
        }

        return pi == p.Length;
    }

    /// <summary>Matches one pattern element (literal, `?` or class) at p[pi]; advances pi on success.</summary>
    private static bool StepOne(ReadOnlySpan<char> p, ref int pi, char c)
    {
        char head = p[pi];
        if (head == '?')
        {
            pi++;
            return true;
        }

        if (head != '[')
        {
            if (head != c)
            {
                return false;
            }

            pi++;
            return true;
        }

        int close = p[(pi + 1)..].IndexOf(']') + pi + 1;
        ReadOnlySpan<char> set = p[(pi + 1)..close];
        bool negate = set.Length > 0 && set[0] == '!';
        if (negate)
        {
            set = set[1..];
        }

        bool hit = false;
        for (int i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                hit |= c >= set[i] && c <= set[i + 2];
                i += 2;
            }
            else
            {
                hit |= c == set[i];
            }
        }

        if (hit == negate)
        {
            return false;
        }

        pi = close + 1;
        return true;
    }
}
