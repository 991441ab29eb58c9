namespace PolicyGate.Operations;

/// <summary>Outcome of one reload: applied or not, why, and the restart-only keys that were kept.</summary>
public sealed record ReloadResult(bool Applied, string Message, IReadOnlyList<string> KeptRestartOnly);
