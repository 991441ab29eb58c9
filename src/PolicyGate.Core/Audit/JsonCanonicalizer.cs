using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyGate.Core.Audit;

/// <summary>RFC 8785 JSON Canonicalization Scheme (JCS) over System.Text.Json.Nodes, producing UTF-8 bytes.</summary>
public static class JsonCanonicalizer
{
    private static readonly byte[] s_hex = "0123456789abcdef"u8.ToArray();

    /// <summary>Canonicalizes <paramref name="node"/>; on failure (lone surrogate, NaN/infinite number) returns false with the reason.</summary>
    public static bool TryCanonicalize(JsonNode? node, IBufferWriter<byte> output, out string? error)
    {
        try
        {
            error = Write(node, output);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to materialize a parsed string holding an escaped lone surrogate.
            error = "string holds a lone surrogate";
        }
        return error is null;
    }

    /// <summary>Canonicalizes <paramref name="node"/> to a new array; throws <see cref="ArgumentException"/> when it cannot be canonicalized.</summary>
    public static byte[] Canonicalize(JsonNode? node)
    {
        ArrayBufferWriter<byte> buffer = new(256);
        if (!TryCanonicalize(node, buffer, out string? error))
        {
            throw new ArgumentException("cannot canonicalize JSON: " + error, nameof(node));
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <paramref name="text"/> as a canonical JSON string; false (output partly written) on a lone surrogate.</summary>
    public static bool TryWriteString(string text, IBufferWriter<byte> output) => WriteString(text, output) is null;

    private static string? Write(JsonNode? node, IBufferWriter<byte> output)
    {
        switch (node)
        {
            case null:
                WriteAscii(output, "null");
                return null;
            case JsonObject obj:
                return WriteObject(obj, output);
            case JsonArray array:
                WriteByte(output, (byte)'[');
                for (int i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        WriteByte(output, (byte)',');
                    }
                    string? error = Write(array[i], output);
                    if (error is not null)
                    {
                        return error;
                    }
                }
                WriteByte(output, (byte)']');
                return null;
            case JsonValue value:
                return WriteValue(value, output);
            default:
                return "unsupported JSON node";
        }
    }

    private static string? WriteObject(JsonObject obj, IBufferWriter<byte> output)
    {
        KeyValuePair<string, JsonNode?>[] members = [.. obj];
        // string.CompareOrdinal compares UTF-16 code units, which is the order RFC 8785 §3.2.3 requires.
        Array.Sort(members, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        WriteByte(output, (byte)'{');
        for (int i = 0; i < members.Length; i++)
        {
            if (i > 0)
            {
                WriteByte(output, (byte)',');
            }
            string? error = WriteString(members[i].Key, output) ?? WriteColonAndValue(members[i].Value, output);
            if (error is not null)
            {
                return error;
            }
        }
        WriteByte(output, (byte)'}');
        return null;
    }

    private static string? WriteColonAndValue(JsonNode? value, IBufferWriter<byte> output)
    {
        WriteByte(output, (byte)':');
        return Write(value, output);
    }

    private static string? WriteValue(JsonValue value, IBufferWriter<byte> output)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return WriteString(value.TryGetValue(out string? text) ? text : JsonSerializer.Deserialize<string>(value.ToJsonString())!, output);
            case JsonValueKind.True:
                WriteAscii(output, "true");
                return null;
            case JsonValueKind.False:
                WriteAscii(output, "false");
                return null;
            case JsonValueKind.Null:
                WriteAscii(output, "null");
                return null;
            case JsonValueKind.Number:
                return WriteNumber(value, output);
            default:
                return "unsupported JSON value";
        }
    }

    private static string? WriteNumber(JsonValue value, IBufferWriter<byte> output)
    {
        double number;
        if (value.TryGetValue(out long integer))
        {
            number = integer;
        }
        else if (value.TryGetValue(out int small))
        {
            number = small;
        }
        else if (value.TryGetValue(out double d))
        {
            number = d;
        }
        else if (!double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            return "number is not an IEEE 754 double";
        }
        string? text = EcmaNumberFormatter.Format(number);
        if (text is null)
        {
            return "number is not finite";
        }
        WriteAscii(output, text);
        return null;
    }

    private static string? WriteString(string text, IBufferWriter<byte> output)
    {
        WriteByte(output, (byte)'"');
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < 0x80)
            {
                WriteAsciiChar(c, output);
                continue;
            }
            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                rune = new Rune(c, text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "string holds a lone surrogate";
            }
            else
            {
                rune = new Rune(c);
            }
            Span<byte> utf8 = output.GetSpan(4);
            int written = rune.EncodeToUtf8(utf8);
            output.Advance(written);
        }
        WriteByte(output, (byte)'"');
        return null;
    }

    private static void WriteAsciiChar(char c, IBufferWriter<byte> output)
    {
        string? escape = c switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\b' => "\\b",
            '\f' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ => null,
        };
        if (escape is not null)
        {
            WriteAscii(output, escape);
        }
        else if (c < 0x20)
        {
            Span<byte> span = output.GetSpan(6);
            "\\u00"u8.CopyTo(span);
            span[4] = s_hex[c >> 4];
            span[5] = s_hex[c & 0xF];
            output.Advance(6);
        }
        else
        {
            WriteByte(output, (byte)c);
        }
    }

    private static void WriteByte(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        Span<byte> span = output.GetSpan(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }
        output.Advance(text.Length);
    }
}
