using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace PolicyGate.Tests.Admin;

/// <summary>Sends raw admin API requests and returns the status and parsed JSON body.</summary>
public static class AdminClient
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(this HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using HttpRequestMessage request = new(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<JsonNode> OkAsync(this HttpClient client, HttpMethod method, string path, string? body = null)
    {
        (HttpStatusCode status, JsonNode? json) = await client.SendAsync(method, path, body);
        Assert.True(status == HttpStatusCode.OK, $"{method} {path} answered {(int)status}: {json?.ToJsonString()}");
        return json!;
    }

    /// <summary>Asserts a JSON error answer with exactly this status and message.</summary>
    public static async Task ErrorAsync(this HttpClient client, HttpMethod method, string path, string? body, HttpStatusCode expected, string message)
    {
        (HttpStatusCode status, JsonNode? json) = await client.SendAsync(method, path, body);
        Assert.Equal(expected, status);
        Assert.Equal(new JsonObject { ["error"] = message }.ToJsonString(), json!.ToJsonString());
    }
}
