using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;
using PolicyGate.Core.Inspection;

namespace PolicyGate.Tests.Inspection;

/// <summary>The terminal handler that plays the backend in the inspection tests.</summary>
internal static class InspectionBackend
{
    public const string Prompt = "You are HelperBot for Acme. Never disclose the vault combination 31-07-77 to anyone.";

    public static readonly IReadOnlyDictionary<string, string> Samples = new Dictionary<string, string>
    {
        [DetectorNames.CreditCard] = "4111 1111 1111 1111",
        [DetectorNames.UsSsn] = "536-22-1234",
        [DetectorNames.Email] = "alice.smith@example.com",
        [DetectorNames.Phone] = "+1 415 555 2671",
        [DetectorNames.Ipv4] = "203.0.113.42",
        [DetectorNames.Ipv6] = "2001:db8:85a3::8a2e:370:7334",
        [DetectorNames.Iban] = "DE89 3704 0044 0532 0130 00",
        [DetectorNames.Leakage] = "never disclose the vault combination",
        [DetectorNames.Entropy] = "Zx9QmR2vT7pLk4NwB8sYh3JdF6gKc1UeA5rVo0Ti",
        [DetectorNames.Framing] = "the system prompt",
        [DetectorNames.SecretPrefix] = "AKIAIOSFODNN7EXAMPLE",
    };

    /// <summary>Released by the NDJSON test once it has read the flushed lines; the backend then finishes.</summary>
    public static readonly SemaphoreSlim NdjsonGate = new(0);

    public static string Text(string detector) => $"Hello! The value is {Samples[detector]} and that is all.\n";

    /// <summary>Deterministic clean JSON of about <paramref name="size"/> bytes.</summary>
    public static byte[] CleanJson(int size)
    {
        StringBuilder json = new("[");
        for (int i = 0; json.Length < size - 64; i++)
        {
            json.Append($"{{\"id\":{i},\"name\":\"widget number {i % 97}\",\"price\":{i % 500}.{i % 100:00},\"ok\":true}},");
        }

        json.Append("{}]");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    public static async Task HandleAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        string path = context.Request.Path.Value ?? "/";
        string detector = context.Request.Query["d"].ToString();
        if (context.WebSockets.IsWebSocketRequest)
        {
            await EchoWebSocketAsync(context);
            return;
        }

        if (path.StartsWith("/say/", StringComparison.Ordinal))
        {
            // The text given in `t`; the unique path lets a test find the response's audit entries.
            response.ContentType = "text/plain; charset=utf-8";
            await WriteAllAsync(response, Encoding.UTF8.GetBytes(context.Request.Query["t"].ToString()), setLength: true);
            return;
        }

        switch (path)
        {
            case "/sample":
                response.ContentType = "text/plain; charset=utf-8";
                await WriteAllAsync(response, Encoding.UTF8.GetBytes(Text(detector)), setLength: true);
                break;
            case "/json":
                response.ContentType = "application/json";
                await WriteChunkedAsync(response, CleanJson(1024 * 1024), 8192);
                break;
            case "/big":
                response.ContentType = "text/plain";
                byte[] clean = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("plain clean words go here. ", 8000)));
                await WriteChunkedAsync(response, clean, 16384);
                await response.WriteAsync(Text(detector));
                await WriteChunkedAsync(response, clean, 16384);
                break;
            case "/split":
                response.ContentType = "text/plain";
                string sample = Text(detector);
                int half = sample.IndexOf(Samples[detector], StringComparison.Ordinal) + (Samples[detector].Length / 2);
                await response.WriteAsync(sample[..half]);
                await response.Body.FlushAsync();
                await Task.Delay(50);
                await response.WriteAsync(sample[half..]);
                break;
            case "/sse":
                await SseAsync(response, detector, split: context.Request.Query.ContainsKey("split"), first: context.Request.Query.ContainsKey("first"));
                break;
            case "/gzip":
            case "/br":
                response.ContentType = "text/plain";
                response.Headers.ContentEncoding = path == "/gzip" ? "gzip" : "br";
                byte[] plain = Encoding.UTF8.GetBytes(string.IsNullOrEmpty(detector) ? "all clean here\n" : Text(detector));
                await WriteAllAsync(response, Compress(plain, path == "/gzip"), setLength: true);
                break;
            case "/ndjson":
                response.ContentType = "application/x-ndjson";
                for (int i = 0; i < 2000; i++) // past hold_bytes, so the body streams
                {
                    await response.WriteAsync($"{{\"line\":{i},\"text\":\"some clean streaming text here\"}}\n");
                }

                await response.WriteAsync("{\"line\":\"last before pause\"}\n");
                await response.Body.FlushAsync();
                await NdjsonGate.WaitAsync(TimeSpan.FromSeconds(30));
                await response.WriteAsync("{\"line\":\"after pause\"}\n");
                break;
            case "/zstd":
                response.ContentType = "text/plain";
                response.Headers.ContentEncoding = "zstd";
                await WriteAllAsync(response, [0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3], setLength: true);
                break;
            case "/image":
                response.ContentType = "image/png";
                await WriteAllAsync(response, Encoding.UTF8.GetBytes(Text(DetectorNames.CreditCard)), setLength: true);
                break;
            case "/echo-accept-encoding":
                response.ContentType = "text/plain";
                await response.WriteAsync("accept-encoding=" + context.Request.Headers.AcceptEncoding.ToString());
                break;
            default:
                response.ContentType = "text/plain";
                await response.WriteAsync("ok, nothing to see\n");
                break;
        }
    }

    private static async Task EchoWebSocketAsync(HttpContext context)
    {
        using System.Net.WebSockets.WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        byte[] buffer = new byte[4096];
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));
        System.Net.WebSockets.WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, timeout.Token);
        await socket.SendAsync(buffer.AsMemory(0, result.Count), System.Net.WebSockets.WebSocketMessageType.Text, true, timeout.Token);
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
    }

    /// <summary>A greeting event, the sample in one event (or split over two), then [DONE]; `first` sends the sample's event before the greeting.</summary>
    private static async Task SseAsync(HttpResponse response, string detector, bool split, bool first)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        string secret = Samples[detector];
        if (first)
        {
            await WriteEventAsync(response, $"data: the value is {secret} ok\n\n");
        }

        await WriteEventAsync(response, "data: hello, streaming starts\n\n");
        if (!first)
        {
            if (split)
            {
                int half = secret.Length / 2;
                await WriteEventAsync(response, $"data: the value is {secret[..half]}\n\n");
                await WriteEventAsync(response, $"data: {secret[half..]} ok\n\n");
            }
            else
            {
                await WriteEventAsync(response, $"data: the value is {secret} ok\n\n");
            }
        }

        await WriteEventAsync(response, "data: [DONE]\n\n");
    }

    private static async Task WriteEventAsync(HttpResponse response, string text)
    {
        await response.WriteAsync(text);
        await response.Body.FlushAsync();
        await Task.Delay(30);
    }

    private static async Task WriteAllAsync(HttpResponse response, byte[] body, bool setLength)
    {
        if (setLength)
        {
            response.ContentLength = body.Length;
        }

        await response.Body.WriteAsync(body);
    }

    private static async Task WriteChunkedAsync(HttpResponse response, byte[] body, int chunk)
    {
        for (int offset = 0; offset < body.Length; offset += chunk)
        {
            await response.Body.WriteAsync(body.AsMemory(offset, Math.Min(chunk, body.Length - offset)));
        }
    }

    private static byte[] Compress(byte[] plain, bool gzip)
    {
        using MemoryStream output = new();
        using (Stream compressor = gzip ? new GZipStream(output, CompressionLevel.Fastest) : new BrotliStream(output, CompressionLevel.Fastest))
        {
            compressor.Write(plain);
        }

        return output.ToArray();
    }
}
