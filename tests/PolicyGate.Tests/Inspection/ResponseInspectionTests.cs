using System.Net;
using System.Text;
using System.Text.Json;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Inspection;

namespace PolicyGate.Tests.Inspection;

/// <summary>Response inspection over real sockets: block / redact / monitor for every detector, streaming, SSE, encodings.</summary>
public sealed class ResponseInspectionTests(InspectionHostFixture fixture) : IClassFixture<InspectionHostFixture>
{
    private InspectionTestHost Host => fixture.Host;

    public static TheoryData<string> Detectors => [.. DetectorNames.All];

    [Theory]
    [MemberData(nameof(Detectors))]
    public async Task Block_mode_answers_403_with_durable_audit_seq(string detector)
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("block", "/sample?d=" + detector));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(detector, response.Headers.GetValues("X-PolicyGate-Blocked").Single());
        string body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(InspectionBackend.Samples[detector], body);
        using JsonDocument json = JsonDocument.Parse(body);
        Assert.Equal("response blocked by policy", json.RootElement.GetProperty("error").GetString());
        Assert.Equal(detector, json.RootElement.GetProperty("detector").GetString());
        long seq = json.RootElement.GetProperty("audit_seq").GetInt64();

        (AuditVerifyReport report, List<string> lines) = await Host.VerifyAuditAsync();
        Assert.True(report.Valid, report.FirstError?.ToString());
        using JsonDocument entry = JsonDocument.Parse(lines.Single(l => JsonDocument.Parse(l).RootElement.GetProperty("seq").GetInt64() == seq));
        Assert.Equal("inspection.block", entry.RootElement.GetProperty("kind").GetString());
        Assert.Equal(detector, entry.RootElement.GetProperty("reason").GetString());
        Assert.Equal("block", entry.RootElement.GetProperty("tenant").GetString());
    }

    [Theory]
    [MemberData(nameof(Detectors))]
    public async Task Redact_mode_replaces_the_hit(string detector)
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("redact", "/sample?d=" + detector));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains($"[REDACTED:{detector}]", body);
        Assert.DoesNotContain(InspectionBackend.Samples[detector], body);
        Assert.StartsWith("Hello! The value is ", body);
        Assert.EndsWith(" and that is all.\n", body);
    }

    [Theory]
    [MemberData(nameof(Detectors))]
    public async Task Monitor_mode_passes_and_audits(string detector)
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("monitor", "/sample?d=" + detector + "&m=" + Guid.NewGuid().ToString("N")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(InspectionBackend.Text(detector), await response.Content.ReadAsStringAsync());
        string path = response.RequestMessage!.RequestUri!.PathAndQuery;
        (AuditVerifyReport report, List<string> lines) = await Host.VerifyAuditAsync();
        Assert.True(report.Valid);
        Assert.Contains(lines, l => l.Contains("\"inspection.monitor\"", StringComparison.Ordinal)
            && l.Contains($"\"reason\":\"{detector}\"", StringComparison.Ordinal) && l.Contains("\"tenant\":\"monitor\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clean_json_of_one_mebibyte_passes_byte_identical()
    {
        byte[] expected = InspectionBackend.CleanJson(1024 * 1024);
        byte[] actual = await Host.Client.GetByteArrayAsync(Host.Url("block", "/json"));
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.AsSpan().SequenceEqual(actual));
    }

    [Fact]
    public async Task Hit_split_across_two_chunks_is_blocked()
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("block", "/split?d=" + DetectorNames.CreditCard));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(DetectorNames.CreditCard, response.Headers.GetValues("X-PolicyGate-Blocked").Single());
    }

    [Fact]
    public async Task Hit_split_across_two_chunks_is_redacted()
    {
        string body = await Host.Client.GetStringAsync(Host.Url("redact", "/split?d=" + DetectorNames.Email));
        Assert.Equal("Hello! The value is [REDACTED:email] and that is all.\n", body);
    }

    [Fact]
    public async Task Hit_after_hold_limit_aborts_the_stream()
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("block", "/big?d=" + DetectorNames.UsSsn), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Stream stream = await response.Content.ReadAsStreamAsync();
        (string received, bool aborted) = await ReadUntilEndAsync(stream);
        Assert.True(aborted, "stream should be aborted");
        Assert.DoesNotContain(InspectionBackend.Samples[DetectorNames.UsSsn], received);
        Assert.True(received.Length >= 64 * 1024, "clean prefix flowed before the hit");
    }

    [Fact]
    public async Task Large_body_is_redacted_while_streaming()
    {
        string body = await Host.Client.GetStringAsync(Host.Url("redact", "/big?d=" + DetectorNames.Iban));
        Assert.Contains("[REDACTED:iban]", body);
        Assert.DoesNotContain(InspectionBackend.Samples[DetectorNames.Iban], body);
        Assert.Equal((2 * 8000 * 27) + InspectionBackend.Text(DetectorNames.Iban).Length - InspectionBackend.Samples[DetectorNames.Iban].Length + "[REDACTED:iban]".Length, body.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sse_hit_ends_the_stream_and_earlier_events_flow(bool split)
    {
        string path = "/sse?d=" + DetectorNames.SecretPrefix + (split ? "&split=1" : "");
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("block", path), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        (string received, bool aborted) = await ReadUntilEndAsync(await response.Content.ReadAsStreamAsync());
        Assert.True(aborted, "stream should end with an abort");
        Assert.Contains("data: hello, streaming starts\n\n", received);
        Assert.DoesNotContain("[DONE]", received);
        Assert.DoesNotContain(InspectionBackend.Samples[DetectorNames.SecretPrefix], received);
        if (split)
        {
            Assert.DoesNotContain("N7EXAMPLE", received);
        }
    }

    [Fact]
    public async Task Sse_hit_in_the_first_event_answers_403_and_a_later_hit_aborts()
    {
        // Nothing was sent when the first event is judged: the documented 403, not a reset.
        using (HttpResponseMessage blocked = await Host.Client.GetAsync(Host.Url("block", "/sse?first=1&d=" + DetectorNames.CreditCard)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
            Assert.Equal(DetectorNames.CreditCard, blocked.Headers.GetValues("X-PolicyGate-Blocked").Single());
            Assert.Equal("application/json", blocked.Content.Headers.ContentType?.MediaType);
            using JsonDocument json = JsonDocument.Parse(await blocked.Content.ReadAsStringAsync());
            Assert.Equal("response blocked by policy", json.RootElement.GetProperty("error").GetString());
            Assert.Equal(DetectorNames.CreditCard, json.RootElement.GetProperty("detector").GetString());
            Assert.True(json.RootElement.GetProperty("audit_seq").GetInt64() > 0);
        }

        // The same event after a clean one that already went out: only an abort is left.
        using HttpResponseMessage streamed = await Host.Client.GetAsync(Host.Url("block", "/sse?d=" + DetectorNames.CreditCard), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        (string received, bool aborted) = await ReadUntilEndAsync(await streamed.Content.ReadAsStreamAsync());
        Assert.True(aborted, "a hit after bytes went out must abort");
        Assert.Equal("data: hello, streaming starts\n\n", received);
    }

    [Theory]
    [InlineData(DetectorNames.Framing)]
    [InlineData(DetectorNames.CreditCard)]
    [InlineData(DetectorNames.Leakage)]
    public async Task Sse_hit_split_across_events_ends_the_stream(string detector)
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("block", "/sse?split=1&d=" + detector), HttpCompletionOption.ResponseHeadersRead);
        (string received, bool aborted) = await ReadUntilEndAsync(await response.Content.ReadAsStreamAsync());
        Assert.True(aborted);
        Assert.Contains("hello, streaming starts", received);
        Assert.DoesNotContain("[DONE]", received);
    }

    [Fact]
    public async Task Sse_hit_inside_one_event_is_redacted_and_the_stream_goes_on()
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("redact", "/sse?d=" + DetectorNames.Email), HttpCompletionOption.ResponseHeadersRead);
        (string received, bool aborted) = await ReadUntilEndAsync(await response.Content.ReadAsStreamAsync());
        Assert.False(aborted);
        Assert.Contains("data: the value is [REDACTED:email] ok\n\n", received);
        Assert.EndsWith("data: [DONE]\n\n", received);
    }

    [Fact]
    public async Task Clean_sse_flows_to_the_end_and_monitor_passes_hits()
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("monitor", "/sse?split=1&d=" + DetectorNames.Email), HttpCompletionOption.ResponseHeadersRead);
        (string received, bool aborted) = await ReadUntilEndAsync(await response.Content.ReadAsStreamAsync());
        Assert.False(aborted);
        Assert.EndsWith("data: [DONE]\n\n", received);
    }

    [Theory]
    [InlineData("/gzip")]
    [InlineData("/br")]
    public async Task Compressed_bodies_are_decoded_and_inspected(string path)
    {
        using HttpResponseMessage blocked = await Host.Client.GetAsync(Host.Url("block", path + "?d=" + DetectorNames.CreditCard));
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal(DetectorNames.CreditCard, blocked.Headers.GetValues("X-PolicyGate-Blocked").Single());

        using HttpResponseMessage clean = await Host.Client.GetAsync(Host.Url("block", path));
        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        Assert.Empty(clean.Content.Headers.ContentEncoding);
        Assert.Equal("all clean here\n", await clean.Content.ReadAsStringAsync());
        Assert.Equal(15, clean.Content.Headers.ContentLength);

        string redacted = await Host.Client.GetStringAsync(Host.Url("redact", path + "?d=" + DetectorNames.Phone));
        Assert.Equal("Hello! The value is [REDACTED:phone] and that is all.\n", redacted);
    }

    [Fact]
    public async Task Unknown_encoding_is_blocked_in_block_mode_and_passed_in_monitor()
    {
        using HttpResponseMessage blocked = await Host.Client.GetAsync(Host.Url("block", "/zstd"));
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal("encoding", blocked.Headers.GetValues("X-PolicyGate-Blocked").Single());

        using HttpResponseMessage monitored = await Host.Client.GetAsync(Host.Url("monitor", "/zstd"));
        Assert.Equal(HttpStatusCode.OK, monitored.StatusCode);
        Assert.Equal(7, (await monitored.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Past_max_scan_bytes_block_fails_closed_and_monitor_passes()
    {
        using HttpResponseMessage held = await Host.Client.GetAsync(Host.Url("tiny", "/json"));
        Assert.Equal(HttpStatusCode.Forbidden, held.StatusCode);
        Assert.Equal("limit", held.Headers.GetValues("X-PolicyGate-Blocked").Single());

        using HttpResponseMessage streaming = await Host.Client.GetAsync(Host.Url("small", "/json"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, streaming.StatusCode);
        (string received, bool aborted) = await ReadUntilEndAsync(await streaming.Content.ReadAsStreamAsync());
        Assert.True(aborted);
        Assert.True(received.Length <= 100 * 1024);

        byte[] passed = await Host.Client.GetByteArrayAsync(Host.Url("tinymon", "/json"));
        Assert.Equal(InspectionBackend.CleanJson(1024 * 1024), passed);
        (_, List<string> lines) = await Host.VerifyAuditAsync();
        Assert.Contains(lines, l => l.Contains("\"inspection.limit\"", StringComparison.Ordinal) && l.Contains("\"tenant\":\"tinymon\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Accept_encoding_is_removed_upstream_when_inspecting()
    {
        using HttpRequestMessage request = new(HttpMethod.Get, Host.Url("block", "/echo-accept-encoding"));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");
        using HttpResponseMessage response = await Host.Client.SendAsync(request);
        Assert.Equal("accept-encoding=", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Content_types_outside_the_tenant_list_pass_uninspected()
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("block", "/image"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("4111 1111 1111 1111", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Websocket_upgrade_is_not_inspected()
    {
        using System.Net.WebSockets.ClientWebSocket socket = new();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));
        Uri url = new(Host.Url("block", "/ws").ToString().Replace("http://", "ws://", StringComparison.Ordinal));
        await socket.ConnectAsync(url, timeout.Token);
        byte[] message = Encoding.UTF8.GetBytes(InspectionBackend.Text(DetectorNames.CreditCard));
        await socket.SendAsync(message, System.Net.WebSockets.WebSocketMessageType.Text, true, timeout.Token);
        byte[] buffer = new byte[4096];
        System.Net.WebSockets.WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(InspectionBackend.Text(DetectorNames.CreditCard), Encoding.UTF8.GetString(buffer, 0, result.Count));
    }

    [Fact]
    public async Task Streamed_lines_flow_when_the_backend_flushes()
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("block", "/ndjson"), HttpCompletionOption.ResponseHeadersRead);
        Stream stream = await response.Content.ReadAsStreamAsync();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(20));
        StringBuilder received = new();
        byte[] buffer = new byte[16384];
        try
        {
            while (!received.ToString().Contains("last before pause", StringComparison.Ordinal))
            {
                int read = await stream.ReadAsync(buffer, timeout.Token);
                Assert.True(read > 0, "stream ended early");
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        finally
        {
            InspectionBackend.NdjsonGate.Release();
        }

        (string rest, bool aborted) = await ReadUntilEndAsync(stream);
        Assert.False(aborted);
        Assert.EndsWith("{\"line\":\"after pause\"}\n", rest);
    }

    [Fact]
    public async Task Mode_off_passes_everything()
    {
        string body = await Host.Client.GetStringAsync(Host.Url("off", "/sample?d=" + DetectorNames.CreditCard));
        Assert.Equal(InspectionBackend.Text(DetectorNames.CreditCard), body);
    }

    [Fact]
    public async Task Unknown_tenant_fails_closed()
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(Host.Url("ghost", "/"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("tenant", response.Headers.GetValues("X-PolicyGate-Blocked").Single());
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("audit_seq").GetInt64() > 0);
    }

    [Fact]
    public async Task Metrics_count_verdicts_scanned_bytes_and_disagreements()
    {
        await Host.Client.GetAsync(Host.Url("block", "/sample?d=" + DetectorNames.Email));
        await Host.Client.GetAsync(Host.Url("block", "/sample?d=" + DetectorNames.Leakage)); // no framing phrase: a disagreement
        await Host.Client.GetStringAsync(Host.Url("block", "/"));
        string metrics = await Host.MetricsAsync("block");
        Assert.Contains("policygate_inspection_verdicts_total{verdict=\"block\",detector=\"email\"}", metrics);
        Assert.Contains("policygate_inspection_verdicts_total{verdict=\"pass\",detector=\"none\"}", metrics);
        Assert.Matches(@"policygate_inspection_scanned_bytes_total [1-9]", metrics);
        Assert.Matches(@"policygate_inspection_disagreements_total [1-9]", metrics);
        (_, List<string> lines) = await Host.VerifyAuditAsync();
        Assert.Contains(lines, l => l.Contains("\"inspection.disagreement\"", StringComparison.Ordinal));
    }

    /// <summary>Reads to the end; aborted = the connection broke instead of ending cleanly (bounded by a timeout).</summary>
    private static async Task<(string Received, bool Aborted)> ReadUntilEndAsync(Stream stream)
    {
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));
        MemoryStream received = new();
        byte[] buffer = new byte[16384];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            return (Encoding.UTF8.GetString(received.ToArray()), false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return (Encoding.UTF8.GetString(received.ToArray()), true);
        }
    }
}
