using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyGate.Acme;

/// <summary>
/// DNS-01 through the Cloudflare API v4 (token with Zone.DNS edit): finds the zone (edge.acme.cloudflare_zone_id, else the
/// longest suffix of the domain that is a zone), creates a TXT record, deletes it again after validation.
/// </summary>
public sealed class CloudflareDnsProvider(HttpClient http, Uri apiUrl, string apiToken, string zoneId) : IDnsChallengeProvider
{
    private readonly ConcurrentDictionary<(string Name, string Value), (string Zone, string Record)> _created = new();

    public async Task PresentAsync(string domain, string recordName, string value, CancellationToken cancellationToken)
    {
        string zone = zoneId.Length > 0 ? zoneId : await FindZoneAsync(domain, cancellationToken);
        JsonObject body = new() { ["type"] = "TXT", ["name"] = recordName, ["content"] = value, ["ttl"] = 60 };
        JsonNode? result = await SendAsync(HttpMethod.Post, $"zones/{zone}/dns_records", body, cancellationToken);
        string id = (string?)result?["id"] ?? throw new AcmeException($"Cloudflare API: created TXT {recordName} but the answer has no record id");
        _created[(recordName, value)] = (zone, id);
    }

    public async Task CleanupAsync(string domain, string recordName, string value, CancellationToken cancellationToken)
    {
        if (_created.TryRemove((recordName, value), out (string Zone, string Record) created))
        {
            await SendAsync(HttpMethod.Delete, $"zones/{created.Zone}/dns_records/{created.Record}", null, cancellationToken);
        }
    }

    private async Task<string> FindZoneAsync(string domain, CancellationToken cancellationToken)
    {
        string[] labels = domain.TrimStart('*', '.').Split('.');
        for (int i = 0; i < labels.Length - 1; i++)
        {
            string candidate = string.Join('.', labels[i..]);
            JsonNode? result = await SendAsync(HttpMethod.Get, "zones?name=" + Uri.EscapeDataString(candidate), null, cancellationToken);
            if (result is JsonArray { Count: > 0 } zones && (string?)zones[0]?["id"] is { Length: > 0 } id)
            {
                return id;
            }
        }

        throw new AcmeException($"Cloudflare API: no zone found for {domain} (set edge.acme.cloudflare_zone_id, or give the token Zone.Read)");
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using HttpRequestMessage request = new(method, new Uri(apiUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? envelope;
        try
        {
            envelope = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            envelope = null;
        }

        if (!response.IsSuccessStatusCode || envelope is null || (bool?)envelope["success"] != true)
        {
            string errors = envelope?["errors"] is JsonArray list && list.Count > 0
                ? string.Join("; ", list.Select(static e => $"{(int?)e?["code"]} {(string?)e?["message"]}"))
                : text.Length > 200 ? text[..200] : text;
            throw new AcmeException($"Cloudflare API {method} {path}: HTTP {(int)response.StatusCode}: {errors.ReplaceLineEndings(" ")}");
        }

        return envelope["result"];
    }
}
