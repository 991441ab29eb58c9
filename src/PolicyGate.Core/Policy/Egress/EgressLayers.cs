namespace PolicyGate.Core.Policy.Egress;

/// <summary>Layer names as they appear in decisions, metrics (`layer` label) and the X-PolicyGate-Reason header.</summary>
public static class EgressLayers
{
    public const string Global = "global";
    public const string Session = "session";
    public const string Builtin = "builtin";
    public const string Default = "default";
    public const string Learn = "learn";
    public const string AllowAll = "allow_all";
}
