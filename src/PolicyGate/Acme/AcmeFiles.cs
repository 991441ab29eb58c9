using System.Security.Cryptography;

namespace PolicyGate.Acme;

/// <summary>
/// ACME state in &lt;data_dir&gt;/acme (0700): the account key (account.key, 0600) and the last certificate
/// (certificate.pem with its chain, certificate.key 0600), each written to a temp name then renamed.
/// </summary>
public sealed class AcmeFiles(string dataDirectory)
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Directory { get; } = Path.Combine(dataDirectory, "acme");
    public string AccountKeyFile => Path.Combine(Directory, "account.key");
    public string CertificateFile => Path.Combine(Directory, "certificate.pem");
    public string CertificateKeyFile => Path.Combine(Directory, "certificate.key");

    /// <summary>Loads the account key, creating a P-256 key (0600) on first use.</summary>
    public ECDsa LoadOrCreateAccountKey()
    {
        EnsureDirectory();
        ECDsa key = ECDsa.Create();
        if (File.Exists(AccountKeyFile))
        {
            key.ImportFromPem(File.ReadAllText(AccountKeyFile));
            return key;
        }

        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        WriteAtomically(AccountKeyFile, key.ExportPkcs8PrivateKeyPem(), secret: true);
        return key;
    }

    /// <summary>Stores a new certificate chain and its key (key first, so a crash never pairs a new chain with an old key unseen).</summary>
    public void SaveCertificate(string chainPem, string keyPem)
    {
        EnsureDirectory();
        WriteAtomically(CertificateKeyFile + ".new", keyPem, secret: true);
        WriteAtomically(CertificateFile + ".new", chainPem, secret: false);
        File.Move(CertificateKeyFile + ".new", CertificateKeyFile, overwrite: true);
        File.Move(CertificateFile + ".new", CertificateFile, overwrite: true);
    }

    public bool HasCertificate => File.Exists(CertificateFile) && File.Exists(CertificateKeyFile);

    private void EnsureDirectory()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void WriteAtomically(string path, string text, bool secret)
    {
        string tmp = path + ".tmp";
        FileStreamOptions create = new() { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = secret ? OwnerOnlyFile : OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        File.Delete(tmp); // UnixCreateMode applies only to a file this call creates
        using (StreamWriter writer = new(new FileStream(tmp, create)))
        {
            writer.Write(text);
        }

        File.Move(tmp, path, overwrite: true);
    }
}
