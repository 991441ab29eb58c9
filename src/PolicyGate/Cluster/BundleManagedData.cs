namespace PolicyGate.Cluster;

/// <summary>Admin API guard: data the active bundle manages is read-only locally (409 naming the bundle).</summary>
public static class BundleManagedData
{
    /// <summary>The 409 message when the active bundle sets this instance's port override; null when it does not.</summary>
    public static string? PortOverride(ActiveBundle? active, string instanceId)
    {
        AppliedBundle? current = active?.Current;
        return current?.Payload.Sections.PortOverrides?.ContainsKey(instanceId) == true
            ? $"port policy of instance {instanceId} is managed by bundle {current.Payload.BundleId} (version {current.Payload.Version}); publish a new bundle to change it"
            : null;
    }

    /// <summary>The 409 message when <paramref name="ruleId"/> is a rule of the active bundle; null when it is not.</summary>
    public static string? EgressRule(ActiveBundle? active, string ruleId)
    {
        AppliedBundle? current = active?.Current;
        return current?.Payload.Sections.EgressRules?.Any(r => string.Equals(r.Id, ruleId, StringComparison.Ordinal)) == true
            ? $"egress rule {ruleId} is managed by bundle {current.Payload.BundleId} (version {current.Payload.Version}); publish a new bundle to change it"
            : null;
    }
}
