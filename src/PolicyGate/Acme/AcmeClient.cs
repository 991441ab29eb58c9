using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyGate.Core.Acme;

namespace PolicyGate.Acme;

/// <summary>
/// A small RFC 8555 client: directory, nonces (badNonce retried), JWS ES256 (jwk for newAccount, kid after), orders,
/// authorizations, challenges, finalize and certificate download, honouring Retry-After while polling.
/// </summary>
public sealed class AcmeClient
{
    private const string JoseJson = "application/jose+json";
    private const string BadNonce = "urn:ietf:params:acme:error:badNonce";
    private const int MaxBadNonceRetries = 8; // pebble rejects 15% of good nonces by default; a CA may too

    private readonly HttpClient _http;
    private readonly ECDsa _accountKey;
    private readonly TimeProvider _time;
    private readonly Queue<string> _nonces = new();
    private JsonObject? _directory;
    private string? _keyId;

    public AcmeClient(HttpClient http, Uri directoryUrl, ECDsa accountKey, TimeProvider time)
    {
        _http = http;
        DirectoryUrl = directoryUrl;
        _accountKey = accountKey;
        _time = time;
    }

    public Uri DirectoryUrl { get; }

    /// <summary>The account URL (kid) once <see cref="EnsureAccountAsync"/> ran.</summary>
    public string? AccountUrl => _keyId;

    /// <summary>Registers the account key, or finds its existing account (the server answers 200 with the same URL).</summary>
    public async Task EnsureAccountAsync(IReadOnlyList<string> contacts, bool termsOfServiceAgreed, CancellationToken cancellationToken)
    {
        JsonObject payload = new() { ["termsOfServiceAgreed"] = termsOfServiceAgreed };
        if (contacts.Count > 0)
        {
            payload["contact"] = new JsonArray([.. contacts.Select(static c => (JsonNode)JsonValue.Create(c)!)]);
        }

        AcmeResponse response = await PostAsync(await EndpointAsync("newAccount", cancellationToken), payload, cancellationToken, useJwk: true);
        _keyId = response.Location?.ToString() ?? throw new AcmeException("newAccount answered without a Location (account URL)");
    }

    /// <summary>Creates an order for DNS identifiers; returns the order object and its URL.</summary>
    public async Task<(JsonObject Order, Uri Url)> NewOrderAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        JsonArray identifiers = [];
        foreach (string name in names)
        {
            identifiers.Add(new JsonObject { ["type"] = "dns", ["value"] = name });
        }

        AcmeResponse response = await PostAsync(await EndpointAsync("newOrder", cancellationToken), new JsonObject { ["identifiers"] = identifiers }, cancellationToken);
        return (RequireJson(response, "newOrder"), response.Location ?? throw new AcmeException("newOrder answered without a Location (order URL)"));
    }

    /// <summary>POST-as-GET of an order, authorization or challenge.</summary>
    public async Task<JsonObject> FetchAsync(Uri url, CancellationToken cancellationToken) =>
        RequireJson(await PostAsync(url, null, cancellationToken), url.ToString());

    /// <summary>Tells the server the challenge is ready to be validated (payload `{}`).</summary>
    public async Task AnswerChallengeAsync(Uri challengeUrl, CancellationToken cancellationToken) =>
        await PostAsync(challengeUrl, new JsonObject(), cancellationToken);

    /// <summary>Polls <paramref name="url"/> until its status leaves pending/processing (or ready for an order being finalized), honouring Retry-After.</summary>
    public async Task<JsonObject> PollAsync(Uri url, IReadOnlySet<string> waitWhile, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTimeOffset until = _time.GetUtcNow() + timeout;
        while (true)
        {
            AcmeResponse response = await PostAsync(url, null, cancellationToken);
            JsonObject json = RequireJson(response, url.ToString());
            string status = (string?)json["status"] ?? "";
            if (!waitWhile.Contains(status))
            {
                return json;
            }

            TimeSpan delay = response.RetryAfter ?? TimeSpan.FromSeconds(1);
            delay = delay < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : delay;
            if (_time.GetUtcNow() + delay > until)
            {
                throw new AcmeException($"{url} still '{status}' after {timeout.TotalSeconds:0}s");
            }

            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    /// <summary>Sends the CSR (DER) to the order's finalize URL.</summary>
    public async Task FinalizeAsync(Uri finalizeUrl, byte[] csrDer, CancellationToken cancellationToken) =>
        await PostAsync(finalizeUrl, new JsonObject { ["csr"] = System.Buffers.Text.Base64Url.EncodeToString(csrDer) }, cancellationToken);

    /// <summary>Downloads the certificate chain (application/pem-certificate-chain).</summary>
    public async Task<string> DownloadCertificateAsync(Uri certificateUrl, CancellationToken cancellationToken) =>
        (await PostAsync(certificateUrl, null, cancellationToken)).Text;

    /// <summary>The account key's JWK thumbprint (for key authorizations).</summary>
    public string Thumbprint => AcmeJwk.Thumbprint(_accountKey);

    private async Task<Uri> EndpointAsync(string name, CancellationToken cancellationToken)
    {
        if (_directory is null)
        {
            using HttpResponseMessage response = await _http.GetAsync(DirectoryUrl, cancellationToken);
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new AcmeException($"ACME directory {DirectoryUrl}: HTTP {(int)response.StatusCode}");
            }

            _directory = ParseObject(body) ?? throw new AcmeException($"ACME directory {DirectoryUrl}: not a JSON object");
        }

        return Uri.TryCreate((string?)_directory[name], UriKind.Absolute, out Uri? url)
            ? url
            : throw new AcmeException($"ACME directory {DirectoryUrl} has no '{name}' URL");
    }

    private async Task<string> NonceAsync(CancellationToken cancellationToken)
    {
        if (_nonces.TryDequeue(out string? nonce))
        {
            return nonce;
        }

        using HttpRequestMessage request = new(HttpMethod.Head, await EndpointAsync("newNonce", cancellationToken));
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        return ReplayNonce(response) ?? throw new AcmeException($"newNonce answered HTTP {(int)response.StatusCode} without a Replay-Nonce");
    }

    private async Task<AcmeResponse> PostAsync(Uri url, JsonNode? payload, CancellationToken cancellationToken, bool useJwk = false)
    {
        if (!useJwk && _keyId is null)
        {
            throw new AcmeException("no ACME account yet (newAccount must come first)");
        }

        for (int attempt = 0; ; attempt++)
        {
            string nonce = await NonceAsync(cancellationToken);
            string body = AcmeJws.Sign(_accountKey, url.ToString(), nonce, useJwk ? null : _keyId, payload);
            using HttpRequestMessage request = new(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(JoseJson);
            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
            if (ReplayNonce(response) is { } next)
            {
                _nonces.Enqueue(next);
            }

            string text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                bool json = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
                return new AcmeResponse(json ? ParseObject(text) : null, text, response.Headers.Location, RetryAfter(response));
            }

            JsonObject? problem = ParseObject(text);
            string type = (string?)problem?["type"] ?? "";
            if (type == BadNonce && attempt < MaxBadNonceRetries)
            {
                continue; // RFC 8555 §6.5: retry with the fresh nonce the error carried
            }

            string detail = (string?)problem?["detail"] ?? text.ReplaceLineEndings(" ");
            throw new AcmeException($"{url}: HTTP {(int)response.StatusCode} {type} {detail}".TrimEnd(), type.Length == 0 ? null : type);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? retry = response.Headers.RetryAfter;
        if (retry?.Delta is { } delta)
        {
            return delta;
        }

        return retry?.Date is { } date ? (date - _time.GetUtcNow() is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero) : null;
    }

    private static string? ReplayNonce(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Replay-Nonce", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    private static JsonObject RequireJson(AcmeResponse response, string what) =>
        response.Json ?? throw new AcmeException($"{what}: the answer is not a JSON object");

    private static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
