using System.Net;
using Tomlyn.Syntax;

namespace PolicyGate.Configuration;

/// <summary>The value readers the schema is built from: TOML type check first, then the notation and range.</summary>
internal static class ConfigReaders
{
    public static ConfigValueReader<string> Text(Func<string, string?>? validate = null) =>
        (ValueSyntax syntax, out string result, out string error) =>
        {
            result = "";
            if (syntax is not StringValueSyntax { Value: { } text })
            {
                error = Expected("a string", syntax);
                return false;
            }

            error = validate?.Invoke(text) ?? "";
            result = text;
            return error.Length == 0;
        };

    public static ConfigValueReader<string> OneOf(params string[] allowed) =>
        Text(text => allowed.Contains(text, StringComparer.Ordinal)
            ? null
            : $"'{text}' is not one of {string.Join(", ", allowed.Select(a => "\"" + a + "\""))}");

    public static ConfigValueReader<string> Listen(bool optional) =>
        Text(text =>
        {
            if (optional && text.Length == 0)
            {
                return null;
            }

            return ListenAddress.TryParse(text, out _, out string error) ? null : error;
        });

    public static ConfigValueReader<string> Cidr { get; } =
        Text(text => ConfigValues.TryParseCidr(text, out _, out string error) ? null : error);

    public static ConfigValueReader<TimeSpan> Duration { get; } =
        Notation<TimeSpan>("a duration string such as \"5s\"", ConfigValues.TryParseDuration);

    public static ConfigValueReader<long> Size { get; } =
        Notation<long>("a size string such as \"64KiB\"", ConfigValues.TryParseSize);

    public static ConfigValueReader<bool> Flag { get; } =
        (ValueSyntax syntax, out bool result, out string error) =>
        {
            result = false;
            error = "";
            if (syntax is not BooleanValueSyntax boolean)
            {
                error = Expected("true or false", syntax);
                return false;
            }

            result = boolean.Value;
            return true;
        };

    public static ConfigValueReader<int> Integer(int min, int max) =>
        (ValueSyntax syntax, out int result, out string error) =>
        {
            result = 0;
            error = "";
            if (syntax is not IntegerValueSyntax integer)
            {
                error = Expected("an integer", syntax);
                return false;
            }

            if (integer.Value < min || integer.Value > max)
            {
                error = $"{integer.Value} is out of range {min}..{max}";
                return false;
            }

            result = (int)integer.Value;
            return true;
        };

    /// <summary>An array of strings, each checked by <paramref name="item"/>; duplicates are an error.</summary>
    public static ConfigValueReader<List<string>> ListOf(ConfigValueReader<string> item, bool allowEmpty) =>
        (ValueSyntax syntax, out List<string> result, out string error) =>
        {
            result = [];
            error = "";
            if (syntax is not ArraySyntax array)
            {
                error = Expected("an array", syntax);
                return false;
            }

            int index = 0;
            foreach (ArrayItemSyntax element in array.Items)
            {
                if (element.Value is null)
                {
                    error = $"item {index}: missing value";
                    return false;
                }

                if (!item(element.Value, out string value, out string itemError))
                {
                    error = $"item {index}: {itemError}";
                    return false;
                }

                if (result.Contains(value, StringComparer.Ordinal))
                {
                    error = $"item {index}: '{value}' is listed twice";
                    return false;
                }

                result.Add(value);
                index++;
            }

            if (!allowEmpty && result.Count == 0)
            {
                error = "must not be empty";
                return false;
            }

            return true;
        };

    private delegate bool NotationParser<T>(string text, out T value, out string error);

    /// <summary>A string value in a notation (duration, size) parsed by <paramref name="parse"/>.</summary>
    private static ConfigValueReader<T> Notation<T>(string expected, NotationParser<T> parse) =>
        (ValueSyntax syntax, out T result, out string error) =>
        {
            result = default!;
            if (syntax is not StringValueSyntax { Value: { } text })
            {
                error = Expected(expected, syntax);
                return false;
            }

            return parse(text, out result, out error);
        };

    /// <summary>What a syntax node is, in the words of an error message.</summary>
    public static string Describe(ValueSyntax syntax) => syntax switch
    {
        StringValueSyntax => "a string",
        IntegerValueSyntax => "an integer",
        BooleanValueSyntax => "a boolean",
        FloatValueSyntax => "a float",
        ArraySyntax => "an array",
        InlineTableSyntax => "a table",
        DateTimeValueSyntax => "a date-time",
        _ => "an unsupported value",
    };

    private static string Expected(string what, ValueSyntax syntax) => $"expected {what}, got {Describe(syntax)}";

    /// <summary>True when an address in a listen string is loopback (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(string listen) =>
        ListenAddress.TryParse(listen, out IPEndPoint endPoint, out _) && IPAddress.IsLoopback(endPoint.Address);
}
