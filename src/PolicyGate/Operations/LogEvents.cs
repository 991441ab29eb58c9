namespace PolicyGate.Operations;

/// <summary>
/// Every log event id of the node, in one table so no two messages share an id (operators filter and alert on them):
/// 1xxx edge, 2xxx HTTP pipeline, 3xxx store and registry, 4xxx admin, 5xxx operations, 6xxx ACME, 7xxx egress, 8xxx audit, 9xxx demo.
/// </summary>
public static class LogEvents
{
    public const int EdgeDenied = 1001;
    public const int EdgeRouted = 1002;
    public const int EdgeConnected = 1003;
    public const int EdgeRelayEnded = 1004;
    public const int EdgeHandshakeFailed = 1005;
    public const int EdgeNoCertificate = 1006;
    public const int EdgeConnectionEnded = 1007;
    public const int EdgeConnectionFailed = 1008;
    public const int EdgeCertificateNotLoaded = 1009;

    public const int HttpForwardFailed = 2001;
    public const int HttpPolicyRecheckDenied = 2002;
    public const int HttpMissingEdgeFeature = 2003;

    public const int RegistrySnapshotPublished = 3001;
    public const int RegistryStartupLoaded = 3011;
    public const int RegistryStartupResyncFailed = 3012;

    public const int PortPolicyFetchFetched = 3101;
    public const int PortPolicyFetchRetrying = 3102;
    public const int PortPolicyFetchPermanentFailure = 3103;
    public const int PortPolicyFetchGaveUp = 3104;
    public const int PortPolicyFetchFetchCrashed = 3105;
    public const int PortPolicyFetchNotStored = 3106;

    public const int StoreListenerListenFailed = 3201;
    public const int StoreListenerBadPayload = 3202;
    public const int StoreListenerListening = 3203;

    public const int StoreHealthDown = 3301;
    public const int StoreHealthRecovered = 3302;
    public const int StoreHealthResyncAfterRecoveryFailed = 3303;

    public const int AdminTokenSource = 4001;

    public const int ReloadReloaded = 5001;
    public const int ReloadReloadRejected = 5002;
    public const int ReloadRestartOnly = 5003;

    public const int WatchdogSelfCheckFailed = 5101;
    public const int WatchdogNotifyFailed = 5102;

    public const int AcmeOrdering = 6001;
    public const int AcmeServing = 6002;
    public const int AcmeFailed = 6003;
    public const int AcmeServingStored = 6004;
    public const int AcmeStoredInvalid = 6005;
    public const int AcmeStoredUnreadable = 6006;
    public const int AcmeChallengeCleanupFailed = 6007;

    public const int EgressSweepFailed = 7001;
    public const int EgressObservationsFailed = 7002;
    public const int EgressConnectionEnded = 7003;

    public const int AuditWarning = 8001;

    public const int DemoStarted = 9001;
    public const int DemoRegistered = 9002;
    public const int DemoNoRegistrar = 9003;
    public const int DemoRegistrationFailed = 9004;

    public const int ServeListening = 1801;
    public const int ServePaths = 1802;
    public const int AccessLogWriting = 1811;
    public const int AccessLogSinkFailed = 1812;

    public const int BundleApplied = 9101;
    public const int BundleRejected = 9102;
    public const int BundlePublished = 9103;
    public const int BundleServed = 9110;
    public const int BundleLeaderUnreachable = 9120;
}
