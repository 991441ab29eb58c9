using System.Text;

namespace PolicyGate.Tests.Corpus;

/// <summary>Leakage excerpts of the corpus prompts and framing phrases, with the variations users meet (case, spacing, line breaks).</summary>
internal static class CorpusText
{
    public static (string Value, string Class) Leak(Random random, CorpusLanguage lang)
    {
        string prompt = CorpusTenant.Prompts[lang.Code];
        string[] words = prompt.Split(' ');
        int count = random.Next(6, 12);
        int start = random.Next(0, words.Length - count);
        string excerpt = string.Join(' ', words.Skip(start).Take(count));
        int variation = random.Next(6);
        return variation switch
        {
            0 => (excerpt, "verbatim"),
            1 => (excerpt.ToUpperInvariant(), "upper-case"),
            2 => (excerpt.ToLowerInvariant(), "lower-case"),
            3 => (excerpt.Replace(" ", "  ", StringComparison.Ordinal), "doubled-spaces"),
            4 => (Wrap(excerpt, random.Next(2) == 0 ? "\n" : "\r\n"), "line-wrapped"),
            _ => (Wrap(excerpt, "\n   "), "wrapped-indented"),
        };
    }

    public static (string Value, string Class) Framing(Random random, CorpusLanguage lang, string format)
    {
        string[] phrases = CorpusTenant.FramingPhrases[lang.Code];
        string phrase = CorpusFormats.Pick(random, phrases);
        if (phrase.EndsWith(" =", StringComparison.Ordinal))
        {
            // An assignment phrase is written in the syntax of the format around it.
            string name = phrase[..^2];
            string value = CorpusValues.RandomHex(random, 4);
            return format switch
            {
                "json" => ($"\"{name}\": \"{value}\"", "assignment/json"),
                "yaml" => ($"{name}: {value}", "assignment/yaml"),
                "env" => ($"{name.ToUpperInvariant()}={value}", "assignment/env"),
                _ => ($"{name} = {value}", "assignment/code"),
            };
        }

        int variation = random.Next(5);
        string text = variation switch
        {
            0 => phrase,
            1 => phrase.ToUpperInvariant(),
            2 => char.ToUpperInvariant(phrase[0]) + phrase[1..],
            3 => phrase.Replace(" ", "  ", StringComparison.Ordinal),
            _ => Wrap(phrase, "\n"),
        };
        string[] classes = ["verbatim", "upper-case", "capitalised", "doubled-spaces", "line-wrapped"];
        return (text, $"{lang.Code}/{classes[variation]}");
    }

    /// <summary>Replaces the space nearest the middle with <paramref name="breakText"/>.</summary>
    private static string Wrap(string text, string breakText)
    {
        int middle = text.Length / 2;
        int at = text.IndexOf(' ', middle);
        if (at < 0)
        {
            at = text.LastIndexOf(' ');
        }

        return at < 0 ? text : new StringBuilder(text).Remove(at, 1).Insert(at, breakText).ToString();
    }
}
