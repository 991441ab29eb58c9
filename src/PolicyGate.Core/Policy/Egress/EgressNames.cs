namespace PolicyGate.Core.Policy.Egress;

/// <summary>Wire spellings of actions and modes ("allow"/"deny", "strict"/"learn").</summary>
public static class EgressNames
{
    public static string Of(EgressAction action) => action == EgressAction.Allow ? "allow" : "deny";

    public static string Of(EgressMode mode) => mode == EgressMode.Learn ? "learn" : "strict";

    public static bool TryParseAction(string? text, out EgressAction action)
    {
        action = EgressAction.Deny;
        switch (text)
        {
            case "allow":
                action = EgressAction.Allow;
                return true;
            case "deny":
                return true;
            default:
                return false;
        }
    }

    public static bool TryParseMode(string? text, out EgressMode mode)
    {
        mode = EgressMode.Strict;
        switch (text)
        {
            case "strict":
                return true;
            case "learn":
                mode = EgressMode.Learn;
                return true;
            default:
                return false;
        }
    }
}
