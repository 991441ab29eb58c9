using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using PolicyGate.Core.Acme;
using PolicyGate.Operations;

namespace PolicyGate.Acme;

/// <summary>One certificate order (RFC 8555 §7.4): order → authorizations → challenges → finalize with a CSR → download.</summary>
public sealed partial class AcmeIssuer(
    AcmeClient client,
    AcmeSettings settings,
    IDnsChallengeProvider? dns,
    TlsAlpnChallengeResponder tlsAlpn,
    TimeProvider time,
    ILogger logger)
{
    private static readonly HashSet<string> s_pending = ["pending"];
    private static readonly HashSet<string> s_processing = ["pending", "processing", "ready"];

    /// <summary>Obtains a certificate for <see cref="AcmeSettings.Names"/>; returns the PEM chain and the new PEM private key.</summary>
    public async Task<(string ChainPem, string KeyPem)> ObtainAsync(CancellationToken cancellationToken)
    {
        if (client.AccountUrl is null)
        {
            await client.EnsureAccountAsync(settings.Contacts, settings.TermsOfServiceAgreed, cancellationToken);
        }

        (JsonObject order, Uri orderUrl) = await client.NewOrderAsync(settings.Names, cancellationToken);
        List<Func<Task>> cleanups = [];
        try
        {
            List<(Uri Authorization, Uri Challenge)> answered = [];
            foreach (JsonNode? link in order["authorizations"] as JsonArray ?? [])
            {
                Uri authzUrl = new((string?)link ?? throw new AcmeException("order lists an empty authorization URL"));
                JsonObject authz = await client.FetchAsync(authzUrl, cancellationToken);
                if ((string?)authz["status"] == "valid")
                {
                    continue;
                }

                Uri challengeUrl = await PrepareAsync(authz, cleanups, cancellationToken);
                answered.Add((authzUrl, challengeUrl));
            }

            if (answered.Count > 0 && settings.Challenge == AcmeSettings.Dns01 && settings.DnsPropagationWait > TimeSpan.Zero)
            {
                await Task.Delay(settings.DnsPropagationWait, time, cancellationToken);
            }

            foreach ((Uri authzUrl, Uri challengeUrl) in answered)
            {
                await client.AnswerChallengeAsync(challengeUrl, cancellationToken);
            }

            foreach ((Uri authzUrl, Uri _) in answered)
            {
                JsonObject authz = await client.PollAsync(authzUrl, s_pending, settings.OrderTimeout, cancellationToken);
                if ((string?)authz["status"] != "valid")
                {
                    throw new AcmeException($"authorization for {(string?)authz["identifier"]?["value"]} is '{(string?)authz["status"]}': {ChallengeError(authz)}");
                }
            }
        }
        finally
        {
            foreach (Func<Task> cleanup in cleanups)
            {
                try
                {
                    await cleanup();
                }
                catch (Exception e) when (e is AcmeException or HttpRequestException or IOException)
                {
                    Log.CleanupFailed(logger, e.Message);
                }
            }
        }

        using ECDsa certificateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Uri finalizeUrl = new((string?)order["finalize"] ?? throw new AcmeException("order has no finalize URL"));
        await client.FinalizeAsync(finalizeUrl, CreateCsr(certificateKey, settings.Names), cancellationToken);
        JsonObject done = await client.PollAsync(orderUrl, s_processing, settings.OrderTimeout, cancellationToken);
        if ((string?)done["status"] != "valid" || (string?)done["certificate"] is not { Length: > 0 } certificateUrl)
        {
            throw new AcmeException($"order {orderUrl} ended '{(string?)done["status"]}' without a certificate: {(string?)done["error"]?["detail"]}");
        }

        string chain = await client.DownloadCertificateAsync(new Uri(certificateUrl), cancellationToken);
        return (chain, certificateKey.ExportPkcs8PrivateKeyPem());
    }

    private async Task<Uri> PrepareAsync(JsonObject authz, List<Func<Task>> cleanups, CancellationToken cancellationToken)
    {
        string identifier = (string?)authz["identifier"]?["value"] ?? throw new AcmeException("authorization without an identifier");
        bool wildcard = (bool?)authz["wildcard"] == true;
        string name = wildcard ? "*." + identifier : identifier;
        JsonObject challenge = (authz["challenges"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => (string?)c["type"] == settings.Challenge)
            ?? throw new AcmeException($"the ACME server offers no {settings.Challenge} challenge for {name}");
        string token = (string?)challenge["token"] ?? throw new AcmeException($"{settings.Challenge} challenge for {name} has no token");
        string keyAuthorization = AcmeKeyAuthorization.Create(token, client.Thumbprint);
        if (settings.Challenge == AcmeSettings.Dns01)
        {
            string record = AcmeKeyAuthorization.DnsRecordName(name);
            string value = AcmeKeyAuthorization.DnsTxtValue(keyAuthorization);
            IDnsChallengeProvider provider = dns ?? throw new AcmeException("dns-01 needs edge.acme.dns_provider");
            await provider.PresentAsync(identifier, record, value, cancellationToken);
            cleanups.Add(() => provider.CleanupAsync(identifier, record, value, CancellationToken.None));
        }
        else
        {
            tlsAlpn.Add(identifier, keyAuthorization);
            cleanups.Add(() =>
            {
                tlsAlpn.Remove(identifier);
                return Task.CompletedTask;
            });
        }

        return new Uri((string?)challenge["url"] ?? throw new AcmeException($"challenge for {name} has no URL"));
    }

    private static string ChallengeError(JsonObject authz) =>
        (authz["challenges"] as JsonArray ?? []).OfType<JsonObject>().Select(static c => (string?)c["error"]?["detail"]).FirstOrDefault(static d => d is not null)
        ?? "no detail";

    private static byte[] CreateCsr(ECDsa key, IReadOnlyList<string> names)
    {
        CertificateRequest request = new("CN=" + names[0], key, HashAlgorithmName.SHA256);
        SubjectAlternativeNameBuilder san = new();
        foreach (string name in names)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        return request.CreateSigningRequest();
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.AcmeChallengeCleanupFailed, LogLevel.Warning, "ACME challenge cleanup failed: {Message}")]
        public static partial void CleanupFailed(ILogger logger, string message);
    }
}
