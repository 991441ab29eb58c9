using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Cluster;

/// <summary>A cluster CA and peer certificates made with the real openssl CLI, exactly as docs/bundles.md tells an operator to.</summary>
internal sealed class ClusterPki : IDisposable
{
    private readonly TempDirectory _dir = new();

    private ClusterPki()
    {
    }

    public string Dir => _dir.Path;

    public string CaFile => Path.Combine(Dir, "ca.crt");

    public string Cert(string name) => Path.Combine(Dir, name + ".crt");

    public string Key(string name) => Path.Combine(Dir, name + ".key");

    /// <summary>CA "ca" with peers "leader" (SAN 127.0.0.1, localhost) and "follower", plus a foreign CA "rogue-ca" and its peer "rogue".</summary>
    public static async Task<ClusterPki> CreateAsync()
    {
        ClusterPki pki = new();
        await pki.CaAsync("ca");
        await pki.PeerAsync("leader", "ca");
        await pki.PeerAsync("follower", "ca");
        await pki.CaAsync("rogue-ca");
        await pki.PeerAsync("rogue", "rogue-ca");
        return pki;
    }

    private async Task CaAsync(string name) => await OpensslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", Key(name), "-out", Cert(name), "-days", "30", "-subj", "/CN=" + name);

    private async Task PeerAsync(string name, string ca)
    {
        string csr = Path.Combine(Dir, name + ".csr");
        string ext = _dir.Write(name + ".ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
        await OpensslAsync("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", Key(name), "-out", csr, "-subj", "/CN=" + name);
        await OpensslAsync("x509", "-req", "-in", csr, "-CA", Cert(ca), "-CAkey", Key(ca), "-CAcreateserial", "-out", Cert(name), "-days", "30", "-extfile", ext);
    }

    private static async Task OpensslAsync(params string[] args)
    {
        (int exit, string output) = await ToolRun.RunAsync("openssl", args);
        Assert.True(exit == 0, "openssl " + string.Join(' ', args) + ": " + output);
    }

    public void Dispose() => _dir.Dispose();
}
