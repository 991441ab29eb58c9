using System.Net;

namespace PolicyGate.Configuration;

/// <summary>Parses listener addresses of the forms `127.0.0.1:8443`, `[::1]:8443`, `0.0.0.0:8443`, `*:8443`.</summary>
public static class ListenAddress
{
    public static bool TryParse(string value, out IPEndPoint endPoint, out string error)
    {
        endPoint = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "listen address is empty";
            return false;
        }

        string text = value.StartsWith("*:", StringComparison.Ordinal) ? "0.0.0.0:" + value[2..] : value;
        if (!IPEndPoint.TryParse(text, out IPEndPoint? parsed) || parsed.Port == 0 || !HasExplicitPort(text))
        {
            error = $"'{value}' is not an address:port (e.g. 127.0.0.1:8443 or [::1]:8443)";
            return false;
        }

        endPoint = parsed;
        return true;
    }

    public static IPEndPoint Parse(string value) =>
        TryParse(value, out IPEndPoint ep, out string error) ? ep : throw new FormatException(error);

    private static bool HasExplicitPort(string text)
    {
        int colon = text.LastIndexOf(':');
        int bracket = text.LastIndexOf(']');
        return colon > 0 && colon > bracket && colon < text.Length - 1;
    }
}
