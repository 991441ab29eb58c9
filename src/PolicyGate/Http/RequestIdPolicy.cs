using System.Buffers;
using Microsoft.Extensions.Primitives;

namespace PolicyGate.Http;

/// <summary>
/// X-Request-Id: a client-provided id is kept when it is one sane token (1..128 of [A-Za-z0-9._:@/+=-]),
/// so a caller's trace id survives the hop; anything else (absent, repeated, too long, odd bytes) is replaced by a fresh id.
/// </summary>
public static class RequestIdPolicy
{
    public const int MaxLength = 128;

    private static readonly string s_prefix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private static long s_sequence;

    private static readonly SearchValues<char> s_tokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:@/+=-");

    /// <summary>The id to use for a request given the client's X-Request-Id values.</summary>
    public static string Resolve(StringValues clientValues)
    {
        if (clientValues.Count == 1 && IsSane(clientValues[0]))
        {
            return clientValues[0]!;
        }

        return NewId();
    }

    public static bool IsSane(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && !value.AsSpan().ContainsAnyExcept(s_tokenChars);

    /// <summary>
    /// 32 lower-case hex characters: a random per-process prefix and a counter. Unique per node without a syscall per request
    /// (Guid.NewGuid reads the kernel's CSPRNG each time); an id is a correlation handle, not a secret.
    /// </summary>
    public static string NewId()
    {
        ulong sequence = (ulong)Interlocked.Increment(ref s_sequence);
        return string.Create(32, sequence, static (chars, value) =>
        {
            s_prefix.AsSpan().CopyTo(chars);
            value.TryFormat(chars[16..], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        });
    }
}
