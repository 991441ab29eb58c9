using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PolicyGate.Admin;
using PolicyGate.Configuration;

namespace PolicyGate.Cli;

/// <summary>Admin API client of the CLI (egress, policy, bundle publish): base URL from --admin-url or admin.listen; token from --token, --token-file, env, or data_dir/admin.token.</summary>
public sealed class AdminApiClient : IDisposable
{
    private readonly HttpClient _http;

    private AdminApiClient(HttpClient http, string tokenSource)
    {
        _http = http;
        TokenSource = tokenSource;
    }

    /// <summary>Where the token came from (`--token`, env, or the file path), named when the API answers 401.</summary>
    public string TokenSource { get; }

    /// <summary>The admin API base URL.</summary>
    public Uri? BaseAddress => _http.BaseAddress;

    /// <summary>Builds the client, or returns a usage error.</summary>
    public static AdminApiClient? Create(string? configFile, string? adminUrl, string? token, out string error, string? tokenFile = null)
    {
        error = "";
        PolicyGateOptions options;
        try
        {
            options = ConfigLoader.Load(configFile);
        }
        catch (ConfigException e)
        {
            error = e.Message;
            return null;
        }

        string baseUrl = string.IsNullOrEmpty(adminUrl) ? "http://" + options.Admin.Listen : adminUrl;
        if (!Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            error = $"--admin-url '{adminUrl}' is not an http(s) URL";
            return null;
        }

        string source;
        if (string.IsNullOrEmpty(token) && !string.IsNullOrEmpty(tokenFile))
        {
            try
            {
                token = File.ReadAllText(tokenFile).Trim();
                source = "--token-file " + tokenFile;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"--token-file {tokenFile}: {e.Message}";
                return null;
            }
        }
        else
        {
            (token, source) = ResolveToken(token, options);
        }

        if (string.IsNullOrEmpty(token))
        {
            error = $"no admin token: pass --token, set {AdminToken.EnvironmentVariable}, or run where {Path.Combine(options.DataDirectory, AdminToken.GeneratedFileName)} exists";
            return null;
        }

        HttpClient http = new() { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new AdminApiClient(http, source);
    }

    /// <summary>Sends a request; the status and the parsed JSON body (null when empty or not JSON).</summary>
    public Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct) =>
        SendAsync(method, path, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), ct);

    /// <summary>Sends <paramref name="content"/> as is (e.g. a bundle's exact bytes); the status and the parsed JSON body.</summary>
    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using HttpRequestMessage request = new(method, "api/v1/" + path) { Content = content };
        using HttpResponseMessage response = await _http.SendAsync(request, ct);
        string text = await response.Content.ReadAsStringAsync(ct);
        JsonNode? json = null;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return ((int)response.StatusCode, json);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The same order `serve` uses: --token, env, admin.token_file, the generated data_dir/admin.token.</summary>
    private static (string? Token, string Source) ResolveToken(string? token, PolicyGateOptions options)
    {
        if (!string.IsNullOrEmpty(token))
        {
            return (token.Trim(), "--token");
        }

        string? env = Environment.GetEnvironmentVariable(AdminToken.EnvironmentVariable);
        if (!string.IsNullOrEmpty(env))
        {
            return (env.Trim(), "env " + AdminToken.EnvironmentVariable);
        }

        foreach (string file in new[] { options.Admin.TokenFile, Path.Combine(options.DataDirectory, AdminToken.GeneratedFileName) })
        {
            if (!string.IsNullOrEmpty(file) && File.Exists(options.ResolvePath(file)))
            {
                return (File.ReadAllText(options.ResolvePath(file)).Trim(), options.ResolvePath(file));
            }
        }

        return (null, "");
    }
}
