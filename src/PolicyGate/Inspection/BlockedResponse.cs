using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace PolicyGate.Inspection;

/// <summary>Writes the 403 of a blocked response: X-PolicyGate-Blocked header and the JSON body naming the audit seq.</summary>
internal static class BlockedResponse
{
    public const string HeaderName = "X-PolicyGate-Blocked";

    /// <summary>Persists the audit entry first, then writes the 403 through <paramref name="body"/>.</summary>
    public static async Task WriteAsync(InspectionContext inspection, IHttpResponseBodyFeature body, string detector, IEnumerable<string> detectors)
    {
        long? seq = await inspection.PersistBlockAsync(detector, detectors);
        HttpResponse response = inspection.Http.Response;
        response.Headers.Clear();
        response.StatusCode = StatusCodes.Status403Forbidden;
        response.Headers[HeaderName] = detector;
        response.Headers.CacheControl = "no-store";
        response.ContentType = "application/json";
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["error"] = "response blocked by policy",
            ["detector"] = detector,
            ["audit_seq"] = seq,
        });
        response.ContentLength = json.Length;
        await body.Writer.WriteAsync(json);
        await body.CompleteAsync();
    }
}
