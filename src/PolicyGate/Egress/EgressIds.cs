using System.Security.Cryptography;

namespace PolicyGate.Egress;

/// <summary>Random rule ids: `r-&lt;12 hex&gt;` (global) and `s-&lt;12 hex&gt;` (session).</summary>
public static class EgressIds
{
    public static string NewRuleId() => "r-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string NewSessionRuleId() => "s-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
