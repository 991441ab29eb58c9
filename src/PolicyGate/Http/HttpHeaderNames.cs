namespace PolicyGate.Http;

/// <summary>Header names the edge HTTP pipeline sets, drops or reads.</summary>
public static class HttpHeaderNames
{
    public const string XForwardedPrefix = "X-Forwarded-";
    public const string XForwardedFor = "X-Forwarded-For";
    public const string XForwardedProto = "X-Forwarded-Proto";
    public const string XForwardedHost = "X-Forwarded-Host";
    public const string Forwarded = "Forwarded";
    public const string XRequestId = "X-Request-Id";
    public const string CfConnectingIp = "CF-Connecting-IP";
}
