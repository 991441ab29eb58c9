namespace PolicyGate.AccessLog;

/// <summary>One access-log line: an HTTP request (kind `http`) or a TCP/TLS connection (kind `connection`); null fields are omitted.</summary>
public sealed class AccessLogEntry
{
    public const string KindHttp = "http";
    public const string KindConnection = "connection";

    public required DateTime Time { get; init; }
    public required string Kind { get; init; }
    public required string ConnectionId { get; init; }
    public string? RequestId { get; init; }
    public string? Client { get; init; }
    public string? Sni { get; init; }
    public string? Mode { get; init; }
    public string? App { get; init; }
    public string? Instance { get; init; }
    public int? Port { get; init; }
    public string? Method { get; init; }
    public string? Path { get; init; }
    public string? Protocol { get; init; }
    public int? Status { get; init; }
    public string? Outcome { get; init; }
    public string? Reason { get; init; }
    public string? Verdict { get; init; }
    public long? BytesIn { get; init; }
    public long? BytesOut { get; init; }
    public double DurationMs { get; init; }
}
