using System.Security.Cryptography;
using System.Text;

namespace PolicyGate.Egress;

/// <summary>
/// A container's egress credential as stored: SHA-256(salt || secret). Secrets are machine tokens of at least
/// <see cref="MinSecretLength"/> characters, so one salted hash is enough and the per-connection check stays cheap.
/// </summary>
public sealed record EgressCredential(string Container, byte[] Salt, byte[] Hash, DateTimeOffset UpdatedAt)
{
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 1024;

    public static EgressCredential Create(string container, string secret, DateTimeOffset now)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        return new EgressCredential(container, salt, HashOf(salt, secret), now);
    }

    /// <summary>Constant-time comparison of the hash of <paramref name="secret"/> with the stored one.</summary>
    public bool Matches(string secret) => CryptographicOperations.FixedTimeEquals(HashOf(Salt, secret), Hash);

    private static byte[] HashOf(byte[] salt, string secret)
    {
        byte[] input = new byte[salt.Length + Encoding.UTF8.GetMaxByteCount(secret.Length)];
        salt.CopyTo(input, 0);
        int length = salt.Length + Encoding.UTF8.GetBytes(secret, input.AsSpan(salt.Length));
        byte[] hash = SHA256.HashData(input.AsSpan(0, length));
        CryptographicOperations.ZeroMemory(input);
        return hash;
    }
}
