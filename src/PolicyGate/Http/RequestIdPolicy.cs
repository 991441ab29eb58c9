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

    /// <summary>32 lower-case hex characters of a random (v4) GUID.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");
}
