using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using PolicyGate.Tests.Cli;
using PolicyGate.Tests.Infrastructure;

namespace PolicyGate.Tests.Deploy;

/// <summary>
/// Runs a deployment's entrypoint outside its container (no container runtime here): the container's absolute paths
/// (/etc/policygate, /var/lib/policygate, ...) live under a temp root, and its 0.0.0.0 / fixed listeners move to free
/// loopback ports. Everything else (the TOML, the mounted files, the arguments, the environment) is the deployment's own.
/// </summary>
public sealed partial class DeploySimulation : IDisposable
{
    private readonly TempDirectory _root = new();

    /// <summary>Original listener port → the free loopback port it runs on here.</summary>
    public Dictionary<int, int> Ports { get; } = [];

    public string Root => _root.Path;

    /// <summary>The temp-root path of a container path.</summary>
    public string Map(string containerPath) => Path.Combine(_root.Path, containerPath.TrimStart('/'));

    /// <summary>Writes a file at a container path.</summary>
    public string WriteFile(string containerPath, string content)
    {
        string path = Map(containerPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Copies a repository file or directory to a container path (COPY / a mounted ConfigMap).</summary>
    public void Copy(string repoRelative, string containerPath)
    {
        string source = RepoPaths.File(repoRelative.TrimEnd('/'));
        string target = Map(containerPath);
        if (Directory.Exists(source))
        {
            Directory.CreateDirectory(target);
            foreach (string file in Directory.GetFiles(source))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            }

            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
    }

    /// <summary>The deployment's TOML with its absolute paths under the temp root and its listeners on free loopback ports.</summary>
    public string Relocate(string toml)
    {
        string text = AbsolutePath().Replace(toml, m => "\"" + Map(m.Groups[1].Value));
        return Listen().Replace(text, m =>
        {
            int original = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (!Ports.TryGetValue(original, out int free))
            {
                free = TestNode.FreePort();
                Ports[original] = free;
            }

            return $"\"127.0.0.1:{free}\"";
        });
    }

    /// <summary>A self-signed wildcard certificate for *.<paramref name="baseDomain"/> written as PEM (the operator's TLS secret).</summary>
    public void WriteCertificate(string certPath, string keyPath, string baseDomain)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new($"CN=*.{baseDomain}", key, HashAlgorithmName.SHA256);
        SubjectAlternativeNameBuilder san = new();
        san.AddDnsName("*." + baseDomain);
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        WriteFile(certPath, cert.ExportCertificatePem());
        WriteFile(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Starts `policygate ARGS` (the image's /app/policygate is the built policygate.dll here) in a container directory.</summary>
    public PolicygateProcess Start(IEnumerable<string> args, IDictionary<string, string> environment, string workingDirectory) =>
        PolicygateProcess.Start(args.Select(a => a.StartsWith('/') ? Map(a) : a), environment, Map(workingDirectory));

    /// <summary>Polls GET /readyz on the relocated metrics listener until 200 (bounded); returns the last status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> WaitForReadyAsync(int metricsPort, PolicygateProcess process, TimeSpan timeout)
    {
        using HttpClient http = new() { BaseAddress = new Uri($"http://127.0.0.1:{Ports[metricsPort]}"), Timeout = TimeSpan.FromSeconds(10) };
        (HttpStatusCode, string) last = (0, "no answer");
        System.Diagnostics.Stopwatch watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < timeout && !process.HasExited)
        {
            try
            {
                using HttpResponseMessage response = await http.GetAsync("/readyz");
                last = (response.StatusCode, await response.Content.ReadAsStringAsync());
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return last;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = (0, e.Message); // not listening yet, or a slow answer on a busy machine: ask again (bounded by timeout)
            }

            await Task.Delay(200);
        }

        return last;
    }

    public static string RandomHex32() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public void Dispose() => _root.Dispose();

    [GeneratedRegex("\"(/(?:etc|var|run|opt|app)/[^\"]*)")]
    private static partial Regex AbsolutePath();

    [GeneratedRegex("\"(0\\.0\\.0\\.0|127\\.0\\.0\\.1|\\[::\\]|\\*):(\\d+)\"")]
    private static partial Regex Listen();
}
