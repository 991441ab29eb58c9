using System.Text.Json.Nodes;
using PolicyGate.Core.Policy.Egress;

namespace PolicyGate.Egress;

/// <summary>Validates rule fields from admin API bodies; each error names its field.</summary>
public static class EgressRuleValidator
{
    /// <summary>destination, port (default *), action (default allow): the fields a session rule carries.</summary>
    public static bool TryRuleCore(JsonObject body, string prefix, out string destination, out string port, out EgressAction action, out string error)
    {
        destination = port = "";
        action = EgressAction.Allow;
        if (!EgressJson.TryRequired(body, "destination", out string rawDestination, out error))
        {
            error = prefix + error;
            return false;
        }

        if (!DestinationPattern.TryParse(rawDestination, out DestinationPattern pattern, out error))
        {
            error = prefix + error;
            return false;
        }

        if (!EgressJson.TryString(body, "port", "*", out string? rawPort, out error, allowNumber: true))
        {
            error = prefix + error;
            return false;
        }

        PortPattern.Parse(rawPort, out string? portError);
        if (portError is not null)
        {
            error = prefix + "port: " + portError;
            return false;
        }

        if (!EgressJson.TryString(body, "action", "allow", out string? rawAction, out error) || !EgressNames.TryParseAction(rawAction, out action))
        {
            error = prefix + (error.Length > 0 ? error : "action must be \"allow\" or \"deny\"");
            return false;
        }

        destination = pattern.ToString();
        port = rawPort!;
        return true;
    }

    public static bool TryContainer(JsonObject body, out string container, out string error)
    {
        container = "";
        if (!EgressJson.TryRequired(body, "container", out string raw, out error))
        {
            return false;
        }

        if (!ContainerPattern.TryParse(raw, out _, out error))
        {
            return false;
        }

        container = raw;
        return true;
    }
}
