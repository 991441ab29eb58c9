using System.Text.Json;

namespace PolicyGate.Core.Bundles;

/// <summary>
/// Strict JSON for bundles: one value, no comments or trailing commas, no duplicate key at any depth, nothing but
/// whitespace after the value. Never throws for bad input.
/// </summary>
public static class StrictJson
{
    private const int MaxDepth = 32;

    public static BundleResult<JsonDocument> Parse(ReadOnlySpan<byte> utf8, string what)
    {
        // The reader validates UTF-8 inside strings only when they are read; refuse it up front instead.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return BundleResult<JsonDocument>.Fail(BundleErrors.Malformed, $"{what}: not valid UTF-8");
        }

        string? problem = Scan(utf8, what, out long consumed, out string code);
        if (problem is not null)
        {
            return BundleResult<JsonDocument>.Fail(code, problem);
        }

        try
        {
            return BundleResult<JsonDocument>.Ok(JsonDocument.Parse(utf8[..(int)consumed].ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth }));
        }
        catch (JsonException e)
        {
            return BundleResult<JsonDocument>.Fail(BundleErrors.Malformed, $"{what}: {e.Message}");
        }
    }

    private static string? Scan(ReadOnlySpan<byte> utf8, string what, out long consumed, out string code)
    {
        consumed = 0;
        code = BundleErrors.Malformed;
        Utf8JsonReader reader = new(utf8, new JsonReaderOptions { MaxDepth = MaxDepth, AllowMultipleValues = true });
        Stack<HashSet<string>?> scopes = new();
        Stack<string> path = new();
        try
        {
            if (!reader.Read())
            {
                return $"{what}: empty document";
            }

            do
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        scopes.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        scopes.Push(null);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        scopes.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        string name = reader.GetString()!;
                        if (!scopes.Peek()!.Add(name))
                        {
                            code = BundleErrors.DuplicateKey;
                            return $"{what}: duplicate key \"{name}\" at byte {reader.TokenStartIndex}";
                        }

                        break;
                }

                if (scopes.Count == 0)
                {
                    break;
                }
            }
            while (reader.Read());

            if (scopes.Count != 0)
            {
                return $"{what}: unexpected end of data";
            }
        }
        catch (JsonException e)
        {
            return $"{what}: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            return $"{what}: {e.Message}";
        }

        consumed = reader.BytesConsumed;
        for (long i = consumed; i < utf8.Length; i++)
        {
            if (utf8[(int)i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                code = BundleErrors.TrailingData;
                return $"{what}: unexpected data after the JSON value at byte {i}";
            }
        }

        return null;
    }
}
