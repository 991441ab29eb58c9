using System.CommandLine;
using System.Text.Json.Nodes;

namespace PolicyGate.Cli;

/// <summary>The shared options and request/print/exit-code flow of the admin API client commands (egress, policy, bundle publish).</summary>
public sealed class AdminCommandContext
{
    private readonly string _name;
    private readonly Option<string?> _config = new("--config") { Description = "policygate.toml to read admin.listen and data_dir from", Recursive = true };
    private readonly Option<string?> _adminUrl = new("--admin-url", "--admin") { Description = "admin API base URL (default http://<admin.listen>)", Recursive = true };
    private readonly Option<string?> _token = new("--token") { Description = "admin token (default env POLICYGATE_ADMIN_TOKEN, else <data_dir>/admin.token)", Recursive = true };
    private readonly Option<string?> _tokenFile = new("--token-file") { Description = "file holding the admin token", Recursive = true };
    private readonly Option<bool> _json = new("--json") { Description = "print the API's JSON answer", Recursive = true };

    /// <summary>Adds the client options to <paramref name="command"/> (recursive to its subcommands).</summary>
    public AdminCommandContext(string name, Command command)
    {
        _name = name;
        command.Options.Add(_config);
        command.Options.Add(_adminUrl);
        command.Options.Add(_token);
        command.Options.Add(_tokenFile);
        command.Options.Add(_json);
    }

    public Task<int> RunAsync(ParseResult parse, HttpMethod method, string path, JsonNode? body, Func<JsonNode?, string> render, CancellationToken ct) =>
        SendAsync(parse, method, path, () => body is null ? null : new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), render, ct);

    public async Task<int> SendAsync(ParseResult parse, HttpMethod method, string path, Func<HttpContent?> content, Func<JsonNode?, string> render, CancellationToken ct)
    {
        using AdminApiClient? client = AdminApiClient.Create(parse.GetValue(_config), parse.GetValue(_adminUrl), parse.GetValue(_token), out string error,
            parse.GetValue(_tokenFile));
        if (client is null)
        {
            await Console.Error.WriteLineAsync(_name + ": " + error);
            return ExitCodes.Usage;
        }

        int status;
        JsonNode? answer;
        try
        {
            (status, answer) = await client.SendAsync(method, path, content(), ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync(_name + ": cannot reach the admin API: " + e.Message);
            return ExitCodes.Failed;
        }

        if (status is < 200 or > 299)
        {
            string tokenHint = status == 401 ? $"; token from {client.TokenSource}: is it the token of the node at {client.BaseAddress}?" : "";
            await Console.Error.WriteLineAsync($"{_name}: {answer?["error"]?.ToString() ?? "request failed"} (HTTP {status}{tokenHint})");
            return ExitCodes.Failed;
        }

        await Console.Out.WriteLineAsync(parse.GetValue(_json) ? answer?.ToJsonString() ?? "" : render(answer).TrimEnd());
        return ExitCodes.Ok;
    }
}
