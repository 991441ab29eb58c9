namespace PolicyGate.Edge;

/// <summary>Label values and names the edge uses in metrics, logs and audit entries (DESIGN §11).</summary>
public static class EdgeConstants
{
    public const string ModePassthrough = "passthrough";
    public const string ModeTcp = "tcp";
    public const string ModeHttp = "http";

    public const string OutcomeOk = "ok";
    public const string OutcomeDenied = "denied";
    public const string OutcomeError = "error";
    public const string OutcomeAborted = "aborted";

    public const string ReasonPortPolicy = "port_policy";
    public const string ReasonPolicyUnknown = "policy_unknown";
    public const string ReasonUnknownRoute = "unknown_route";
    public const string ReasonBadSni = "bad_sni";
    public const string ReasonProxyProtocol = "proxy_protocol";
    public const string ReasonLimit = "limit";
    public const string ReasonConnectFailed = "connect_failed";
    public const string ReasonClientCertificate = "client_certificate";

    public const string AuditKindDeny = "edge.deny";

    /// <summary>Relay buffer per direction.</summary>
    public const int RelayBufferSize = 64 * 1024;
}
