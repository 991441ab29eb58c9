using System.Text.Json.Nodes;

namespace PolicyGate.Core.Policy;

/// <summary>Writes a port policy in its API/storage shape: <c>{"ports":[{"port","pp","protocol"}],"restrict_mode"}</c>, ports ascending.</summary>
public static class PortPolicyJson
{
    public static JsonObject? ToJson(PortPolicy? policy)
    {
        if (policy is null)
        {
            return null;
        }

        JsonArray ports = [];
        foreach (PortRule rule in policy.Ports)
        {
            ports.Add(new JsonObject
            {
                ["port"] = rule.Port,
                ["pp"] = rule.Pp,
                ["protocol"] = rule.Protocol,
            });
        }

        return new JsonObject
        {
            ["ports"] = ports,
            ["restrict_mode"] = policy.RestrictMode,
        };
    }

    /// <summary>Compact JSON text (the store's column format).</summary>
    public static string ToText(PortPolicy policy) => ToJson(policy)!.ToJsonString();
}
