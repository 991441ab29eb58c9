using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PolicyGate.Core.Bundles;

/// <summary>Field readers for strict bundle objects: unknown fields and wrong types are named errors.</summary>
internal static partial class StrictFields
{
    /// <summary>Refuses an object whose keys are not all in <paramref name="known"/>, or that lacks one of <paramref name="required"/>.</summary>
    public static BundleRejection? CheckObject(JsonElement element, string where, IReadOnlyCollection<string> known, IReadOnlyCollection<string> required)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return BundleErrors.Of(BundleErrors.BadField, $"{where}: must be an object, not {Kind(element)}");
        }

        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                return BundleErrors.Of(BundleErrors.UnknownField, $"{Join(where, property.Name)}: unknown field (expected {string.Join(", ", known)})");
            }
        }

        foreach (string name in required)
        {
            if (!element.TryGetProperty(name, out _))
            {
                return BundleErrors.Of(BundleErrors.MissingField, $"{Join(where, name)}: required");
            }
        }

        return null;
    }

    public static BundleRejection? String(JsonElement parent, string name, string where, out string value)
    {
        value = "";
        JsonElement e = parent.GetProperty(name);
        if (e.ValueKind != JsonValueKind.String)
        {
            return BundleErrors.Of(BundleErrors.BadField, $"{Join(where, name)}: must be a string, not {Kind(e)}");
        }

        value = e.GetString()!;
        return null;
    }

    public static BundleRejection? Time(JsonElement parent, string name, string where, out DateTimeOffset value)
    {
        value = default;
        BundleRejection? bad = String(parent, name, where, out string text);
        if (bad is not null)
        {
            return bad;
        }

        if (!Rfc3339Utc().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            return BundleErrors.Of(BundleErrors.BadField, $"{Join(where, name)}: '{text}' is not an RFC 3339 UTC time (e.g. 2026-01-02T03:04:05Z)");
        }

        return null;
    }

    public static string Kind(JsonElement e) => Policy.JsonText.KindName(e.ValueKind);

    public static string Join(string where, string name) => where.Length == 0 ? name : where + "." + name;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339Utc();
}
