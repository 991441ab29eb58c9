using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace PolicyGate.Core.Policy;

/// <summary>Small helpers shared by the policy and registration parsers: non-throwing parse and readable type names.</summary>
public static class JsonText
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 32 };

    /// <summary>Parses JSON text; on malformed input returns false with the parser's message (it names line and byte position).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out string? error)
    {
        document = null;
        error = null;
        // The reader does not check UTF-8 inside strings; GetString would then throw later (found by ParserPropertyTests).
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            error = "malformed JSON: the body is not valid UTF-8";
            return false;
        }

        Utf8JsonReader probe = new(utf8Json, new JsonReaderOptions { MaxDepth = s_options.MaxDepth });
        try
        {
            // JsonDocument.ParseValue only reports bad input by exception; keep it contained here.
            document = JsonDocument.ParseValue(ref probe);
            if (probe.BytesConsumed < utf8Json.Length && !IsWhitespace(utf8Json[(int)probe.BytesConsumed..]))
            {
                document.Dispose();
                document = null;
                error = $"malformed JSON: unexpected data after the value at byte {probe.BytesConsumed}";
                return false;
            }

            return true;
        }
        catch (JsonException e)
        {
            error = "malformed JSON: " + e.Message;
            return false;
        }
    }

    /// <summary>The JSON name of a value kind, for error messages ("a string", "null").</summary>
    public static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public static bool TryGetBool(JsonElement element, out bool value)
    {
        value = element.ValueKind == JsonValueKind.True;
        return element.ValueKind is JsonValueKind.True or JsonValueKind.False;
    }

    private static bool IsWhitespace(ReadOnlySpan<byte> rest)
    {
        foreach (byte b in rest)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
