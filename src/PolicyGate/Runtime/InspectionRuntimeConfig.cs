namespace PolicyGate.Runtime;

/// <summary>inspection.* as the data path reads it: the hold window and the (absolute) tenants directory.</summary>
public sealed record InspectionRuntimeConfig(long HoldBytes, string TenantsDirectory);
