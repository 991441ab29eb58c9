using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Acme.Support;

/// <summary>
/// Debian's real `pebble` ACME server and `pebble-challtestsrv` (its DNS server for DNS-01 TXT records and A answers) on
/// loopback free ports. Pebble's HTTPS listener uses a throwaway certificate written here (<see cref="ListenerCaFile"/>);
/// its issuing root, generated at each start, is fetched from the management API into <see cref="RootFile"/>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PebbleServer : IAsyncDisposable
{
    private ExternalProcess? _pebble;
    private ExternalProcess? _challtestsrv;

    private PebbleServer(ProcessWorkDir dir) => Dir = dir;

    public ProcessWorkDir Dir { get; }
    public int AcmePort { get; private set; }
    public int ManagementPort { get; private set; }
    public int DnsPort { get; private set; }
    public int ChallengeManagementPort { get; private set; }

    /// <summary>https://127.0.0.1:port/dir</summary>
    public string DirectoryUrl => $"https://127.0.0.1:{AcmePort}/dir";

    /// <summary>The certificate of pebble's own HTTPS listener (edge.acme.ca_file).</summary>
    public string ListenerCaFile => Dir.File("listener.pem");

    /// <summary>Pebble's issuing root (PEM): an edge certificate from this pebble chains to it.</summary>
    public string RootFile => Dir.File("root.pem");

    /// <summary>An `exec` DNS provider script that sets/clears TXT records in challtestsrv (the same script docs/certificates.md shows).</summary>
    public string DnsScript => Dir.File("dns-challtestsrv.sh");

    /// <summary>Starts challtestsrv and pebble; <paramref name="validitySeconds"/> sets certificateValidityPeriod, <paramref name="tlsPort"/> where TLS-ALPN-01 is validated.</summary>
    public static async Task<PebbleServer> StartAsync(int validitySeconds = 3600, int? tlsPort = null)
    {
        PebbleServer server = new(new ProcessWorkDir("pebble"));
        try
        {
            await server.StartCoreAsync(validitySeconds, tlsPort);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(int validitySeconds, int? tlsPort)
    {
        AcmePort = TestNode.FreePort();
        ManagementPort = TestNode.FreePort();
        DnsPort = TestNode.FreePort();
        ChallengeManagementPort = TestNode.FreePort();
        WriteListenerCertificate();
        File.WriteAllText(DnsScript, $$"""
            #!/bin/sh
            # usage: dns-challtestsrv.sh present|cleanup RECORD_NAME VALUE DOMAIN
            set -eu
            api=http://127.0.0.1:{{ChallengeManagementPort}}
            case "$1" in
              present) curl -sSf -d "{\"host\":\"$2.\",\"value\":\"$3\"}" "$api/set-txt" ;;
              cleanup) curl -sSf -d "{\"host\":\"$2.\"}" "$api/clear-txt" ;;
              *) echo "unknown action $1" >&2; exit 2 ;;
            esac
            """);
        File.SetUnixFileMode(DnsScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        _challtestsrv = await ExternalProcess.StartListeningAsync("pebble-challtestsrv",
            ["-dns01", $"127.0.0.1:{DnsPort}", "-http01", "", "-https01", "", "-tlsalpn01", "",
             "-management", $"127.0.0.1:{ChallengeManagementPort}", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""],
            new ProcessWorkDir("challtestsrv"), ChallengeManagementPort);
        await StartPebbleAsync(validitySeconds, tlsPort ?? TestNode.FreePort());
    }

    /// <summary>(Re)starts pebble on the same ports (a restarted pebble has a new root).</summary>
    public async Task StartPebbleAsync(int validitySeconds, int tlsPort)
    {
        JsonObject config = new()
        {
            ["pebble"] = new JsonObject
            {
                ["listenAddress"] = $"127.0.0.1:{AcmePort}",
                ["managementListenAddress"] = $"127.0.0.1:{ManagementPort}",
                ["certificate"] = ListenerCaFile,
                ["privateKey"] = Dir.File("listener.key"),
                ["httpPort"] = TestNode.FreePort(),
                ["tlsPort"] = tlsPort,
                ["ocspResponderURL"] = "",
                ["externalAccountBindingRequired"] = false,
                ["certificateValidityPeriod"] = validitySeconds,
            },
        };
        string configFile = Dir.WriteFile("pebble-config.json", config.ToJsonString());
        _pebble = await ExternalProcess.StartListeningAsync("pebble", ["-config", configFile, "-dnsserver", $"127.0.0.1:{DnsPort}"],
            new ProcessWorkDir("pebble-run"), new Dictionary<string, string> { ["PEBBLE_VA_NOSLEEP"] = "1" }, AcmePort, ManagementPort);
        using HttpClient management = TrustingListener();
        File.WriteAllText(RootFile, await management.GetStringAsync($"https://127.0.0.1:{ManagementPort}/roots/0"));
    }

    /// <summary>Stops pebble (challtestsrv stays): the ACME server is down.</summary>
    public async Task StopPebbleAsync()
    {
        if (_pebble is not null)
        {
            await _pebble.DisposeAsync();
            _pebble = null;
        }
    }

    public string Output => (_pebble?.Output ?? "") + (_challtestsrv?.Output ?? "");

    private HttpClient TrustingListener()
    {
        X509Certificate2 listener = X509Certificate2.CreateFromPem(File.ReadAllText(ListenerCaFile));
        SocketsHttpHandler handler = new()
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == listener.GetCertHashString(),
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    private void WriteListenerCertificate()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=pebble test listener", key, HashAlgorithmName.SHA256);
        SubjectAlternativeNameBuilder san = new();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(ListenerCaFile, cert.ExportCertificatePem());
        File.WriteAllText(Dir.File("listener.key"), key.ExportPkcs8PrivateKeyPem());
    }

    public async ValueTask DisposeAsync()
    {
        await StopPebbleAsync();
        if (_challtestsrv is not null)
        {
            await _challtestsrv.DisposeAsync();
        }

        Dir.Dispose();
    }
}
