namespace PolicyGate.Core.Policy;

/// <summary>A registration request (POST /api/v1/instances); TenantId null → "default".</summary>
public sealed record InstanceRegistration(
    string InstanceId,
    string AppId,
    string? TenantId,
    string Address,
    string? AgentUrl,
    string? ComposeHash,
    PortPolicy? PortPolicy);
