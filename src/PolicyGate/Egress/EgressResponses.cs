using System.IO.Pipelines;
using System.Text;

namespace PolicyGate.Egress;

/// <summary>The proxy's own short HTTP/1.1 answers (text/plain, Connection: close).</summary>
public static class EgressResponses
{
    public const string DeniedBody = "host not in allowlist (policygate egress policy)";

    public static ReadOnlyMemory<byte> Established { get; } = "HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray();

    public static async Task WriteAsync(PipeWriter output, int status, string body, string? reasonHeader = null, CancellationToken ct = default)
    {
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        StringBuilder head = new();
        head.Append("HTTP/1.1 ").Append(status).Append(' ').Append(Phrase(status)).Append("\r\n");
        head.Append("Content-Type: text/plain; charset=utf-8\r\n");
        head.Append("Content-Length: ").Append(bodyBytes.Length).Append("\r\n");
        if (reasonHeader is not null)
        {
            head.Append("X-PolicyGate-Reason: ").Append(reasonHeader).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        await output.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
        await output.WriteAsync(bodyBytes, ct);
    }

    private static string Phrase(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        502 => "Bad Gateway",
        504 => "Gateway Timeout",
        _ => "Error",
    };
}
