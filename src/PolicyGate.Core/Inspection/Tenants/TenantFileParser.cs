using System.Globalization;
using PolicyGate.Core.Inspection.Detection;
using PolicyGate.Core.Notation;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace PolicyGate.Core.Inspection.Tenants;

/// <summary>Parses one tenant file; never throws for bad input: returns the policy or a `file:line: key: what` error.</summary>
public static class TenantFileParser
{
    private const string Section = "inspection";

    public static bool TryParse(string fileName, string tenantId, string text, out TenantPolicy? policy, out string? error)
    {
        policy = null;
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, fileName);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = $"{fileName}:1: {ex.Message}";
            return false;
        }

        foreach (DiagnosticMessage message in document.Diagnostics)
        {
            if (message.Kind == DiagnosticMessageKind.Error)
            {
                error = $"{fileName}:{message.Span.Start.Line + 1}: {message.Message}";
                return false;
            }
        }

        foreach (KeyValueSyntax stray in document.KeyValues)
        {
            error = At(fileName, stray, $"{KeyOf(stray.Key)}: unknown key (expected an [inspection] table)");
            return false;
        }

        TenantSettings settings = new();
        foreach (TableSyntaxBase table in document.Tables)
        {
            string name = KeyOf(table.Name);
            if (table is not TableSyntax || !string.Equals(name, Section, StringComparison.Ordinal))
            {
                error = At(fileName, table, $"[{name}]: unknown table (only [inspection] is allowed)");
                return false;
            }

            foreach (SyntaxNode item in table.Items)
            {
                if (item is KeyValueSyntax keyValue && !TryApply(settings, keyValue, out error))
                {
                    error = At(fileName, keyValue, error!);
                    return false;
                }
            }
        }

        policy = settings.Build(tenantId);
        error = null;
        return true;
    }

    private static bool TryApply(TenantSettings settings, KeyValueSyntax keyValue, out string? error)
    {
        string key = KeyOf(keyValue.Key);
        ValueSyntax? value = keyValue.Value;
        error = null;
        switch (key)
        {
            case "mode":
                if (value is StringValueSyntax { Value: { } modeText } && TryParseMode(modeText, out InspectionMode mode))
                {
                    settings.Mode = mode;
                    return true;
                }

                error = "mode: expected one of \"off\", \"monitor\", \"redact\", \"block\"";
                return false;
            case "detectors":
                return TryStrings(value, key, out settings.Detectors, out error) && CheckDetectors(settings.Detectors!, out error);
            case "protected_strings":
                return TryStrings(value, key, out settings.ProtectedStrings, out error) && CheckProtected(settings.ProtectedStrings!, out error);
            case "content_types":
                return TryStrings(value, key, out settings.ContentTypes, out error) && CheckContentTypes(settings.ContentTypes!, out error);
            case "framing_phrases":
                return TryStrings(value, key, out settings.FramingPhrases, out error) && CheckPhrases(settings.FramingPhrases!, out error);
            case "phone_regions":
                return TryStrings(value, key, out settings.PhoneRegions, out error) && CheckRegions(settings.PhoneRegions!, out error);
            case "max_scan_bytes":
                if (value is not StringValueSyntax { Value: { } text })
                {
                    error = "max_scan_bytes: expected a size string such as \"8MiB\"";
                    return false;
                }

                if (!ByteSize.TryParse(text, out long size, out string sizeError))
                {
                    error = "max_scan_bytes: " + sizeError;
                    return false;
                }

                settings.MaxScanBytes = size;
                return true;
            case "entropy_min_run":
                if (value is IntegerValueSyntax { Value: >= 16 and <= 4096 } run)
                {
                    settings.EntropyMinRun = (int)run.Value;
                    return true;
                }

                error = "entropy_min_run: expected an integer between 16 and 4096";
                return false;
            case "entropy_base64_bits":
                return TryBits(value, key, 6.0, out settings.EntropyBase64Bits, out error);
            case "entropy_hex_bits":
                return TryBits(value, key, 4.0, out settings.EntropyHexBits, out error);
            default:
                error = $"{key}: unknown key";
                return false;
        }
    }

    private static bool TryParseMode(string text, out InspectionMode mode)
    {
        (bool ok, mode) = text switch
        {
            "off" => (true, InspectionMode.Off),
            "monitor" => (true, InspectionMode.Monitor),
            "redact" => (true, InspectionMode.Redact),
            "block" => (true, InspectionMode.Block),
            _ => (false, InspectionMode.Block),
        };
        return ok;
    }

    private static bool TryStrings(ValueSyntax? value, string key, out List<string>? list, out string? error)
    {
        list = null;
        error = $"{key}: expected an array of strings";
        if (value is not ArraySyntax array)
        {
            return false;
        }

        List<string> result = [];
        foreach (ArrayItemSyntax item in array.Items)
        {
            if (item.Value is not StringValueSyntax { Value: { } text })
            {
                return false;
            }

            result.Add(text);
        }

        list = result;
        error = null;
        return true;
    }

    private static bool CheckDetectors(List<string> detectors, out string? error)
    {
        string? unknown = detectors.FirstOrDefault(d => !DetectorNames.IsKnown(d));
        error = unknown is null ? null : $"detectors: unknown detector \"{unknown}\" (known: {string.Join(", ", DetectorNames.All)})";
        return unknown is null;
    }

    private static bool CheckProtected(List<string> strings, out string? error)
    {
        string? tooShort = strings.FirstOrDefault(s => ProtectedStringNormalizer.Normalize(s).Length < ProtectedStringMatcher.WindowLength);
        error = tooShort is null ? null : $"protected_strings: \"{tooShort}\" is shorter than {ProtectedStringMatcher.WindowLength} characters after normalisation";
        return tooShort is null;
    }

    private static bool CheckContentTypes(List<string> types, out string? error)
    {
        string? bad = types.FirstOrDefault(t =>
        {
            int slash = t.IndexOf('/');
            return slash <= 0 || slash == t.Length - 1 || t.IndexOf('/', slash + 1) >= 0 || t.StartsWith('*') || t.Contains(';');
        });
        error = bad is null ? null : $"content_types: \"{bad}\" is not a media type pattern (type/subtype, type/*, type/*+suffix)";
        return bad is null;
    }

    private static bool CheckPhrases(List<string> phrases, out string? error)
    {
        string? bad = phrases.FirstOrDefault(p => !FramingDetector.IsUsablePhrase(p));
        error = bad is null ? null : $"framing_phrases: \"{bad}\" must be printable ASCII with at least 3 letters or digits";
        return bad is null;
    }

    private static bool CheckRegions(List<string> regions, out string? error)
    {
        string? bad = regions.FirstOrDefault(r => !PhoneValidator.IsSupportedRegion(r));
        error = bad is null ? null : $"phone_regions: \"{bad}\" is not a supported two-letter region code (such as \"US\", \"DE\", \"FR\")";
        return bad is null;
    }

    private static bool TryBits(ValueSyntax? value, string key, double max, out double bits, out string? error)
    {
        bits = value switch
        {
            FloatValueSyntax f => f.Value,
            IntegerValueSyntax i => i.Value,
            _ => double.NaN,
        };
        bool ok = bits > 0 && bits <= max;
        error = ok ? null : $"{key}: expected a number of bits per character in (0, {max.ToString(CultureInfo.InvariantCulture)}]";
        return ok;
    }

    private static string KeyOf(KeySyntax? key) => key?.ToString().Trim() ?? "";

    private static string At(string fileName, SyntaxNode node, string message) => $"{fileName}:{node.Span.Start.Line + 1}: {message}";

    /// <summary>Mutable accumulator while reading one file.</summary>
    private sealed class TenantSettings
    {
        public InspectionMode Mode = InspectionMode.Block;
        public List<string>? Detectors;
        public List<string>? ProtectedStrings;
        public List<string>? ContentTypes;
        public List<string>? FramingPhrases;
        public List<string>? PhoneRegions;
        public long MaxScanBytes = TenantPolicy.DefaultMaxScanBytes;
        public int EntropyMinRun = 40;
        public double EntropyBase64Bits = 4.5;
        public double EntropyHexBits = 3.0;

        public TenantPolicy Build(string id) => new(id, Mode, Detectors, ProtectedStrings, ContentTypes, MaxScanBytes,
            FramingPhrases, EntropyMinRun, EntropyBase64Bits, EntropyHexBits, PhoneRegions);
    }
}
