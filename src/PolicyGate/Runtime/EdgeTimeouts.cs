using PolicyGate.Configuration;

namespace PolicyGate.Runtime;

/// <summary>edge.timeouts.*, compiled (also used by the egress proxy's relay).</summary>
public sealed record EdgeTimeouts(TimeSpan Handshake, TimeSpan Connect, TimeSpan PpHeader, TimeSpan Idle, TimeSpan Total, TimeSpan Shutdown)
{
    public static EdgeTimeouts From(EdgeTimeoutOptions t) => new(t.Handshake, t.Connect, t.PpHeader, t.Idle, t.Total, t.Shutdown);
}
