using System.Net.Security;
using System.Text;

namespace PolicyGate.Edge;

/// <summary>The special `health` host (DESIGN §4.3): `GET /` → 200 with an empty body, anything else → 404; one request per connection.</summary>
internal static class HealthResponder
{
    private const int MaxHeadBytes = 8 * 1024;
    private static readonly byte[] s_ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    private static readonly byte[] s_notFound = Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    private static readonly byte[] s_headEnd = "\r\n\r\n"u8.ToArray();

    public static async Task RespondAsync(SslStream client, CancellationToken deadline)
    {
        byte[] head = new byte[MaxHeadBytes];
        int length = 0;
        while (length < head.Length && head.AsSpan(0, length).IndexOf(s_headEnd) < 0)
        {
            int read = await client.ReadAsync(head.AsMemory(length), deadline);
            if (read == 0)
            {
                return;
            }

            length += read;
        }

        ReadOnlySpan<byte> text = head.AsSpan(0, length);
        int lineEnd = text.IndexOf("\r\n"u8);
        ReadOnlySpan<byte> requestLine = lineEnd < 0 ? text : text[..lineEnd];
        bool ok = requestLine.SequenceEqual("GET / HTTP/1.1"u8) || requestLine.SequenceEqual("GET / HTTP/1.0"u8);
        await client.WriteAsync(ok ? s_ok : s_notFound, deadline);
        await client.ShutdownAsync();
    }
}
