using System.Text.Json;
using PolicyGate.Core.Policy;

namespace PolicyGate.Store;

/// <summary>Reads an agent's answer: a JSON object whose optional `port_policy` member holds the policy (absent or null → open).</summary>
internal static class AgentAnswerParser
{
    public static PortPolicyFetchOutcome Parse(ReadOnlySpan<byte> body)
    {
        if (!JsonText.TryParse(body, out JsonDocument? document, out string? error))
        {
            return PortPolicyFetchOutcome.Permanent("agent answer: " + error);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return PortPolicyFetchOutcome.Permanent($"agent answer: must be an object, not {JsonText.KindName(root.ValueKind)}");
            }

            if (!root.TryGetProperty("port_policy", out JsonElement policy) || policy.ValueKind == JsonValueKind.Null)
            {
                return PortPolicyFetchOutcome.Success(PortPolicy.Open);
            }

            PortPolicyParseResult parsed = PortPolicyParser.Parse(policy, "port_policy");
            return parsed.IsValid ? PortPolicyFetchOutcome.Success(parsed.Policy!) : PortPolicyFetchOutcome.Permanent("agent answer: " + parsed.Error);
        }
    }
}
