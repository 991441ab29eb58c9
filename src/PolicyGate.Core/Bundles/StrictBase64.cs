using System.Buffers.Text;
using System.Text;

namespace PolicyGate.Core.Bundles;

/// <summary>Canonical standard base64 only (no whitespace, padding required, zero pad bits): one encoding per byte string.</summary>
internal static class StrictBase64
{
    public static byte[]? TryDecode(string text)
    {
        if (text.Length % 4 != 0)
        {
            return null;
        }

        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                return null;
            }
        }

        byte[] utf8 = Encoding.ASCII.GetBytes(text);
        byte[] bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(utf8.Length)];
        if (Base64.DecodeFromUtf8(utf8, bytes, out int consumed, out int written) != System.Buffers.OperationStatus.Done || consumed != utf8.Length)
        {
            return null;
        }

        byte[] result = bytes[..written];
        return string.Equals(Convert.ToBase64String(result), text, StringComparison.Ordinal) ? result : null;
    }
}
