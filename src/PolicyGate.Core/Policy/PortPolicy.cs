namespace PolicyGate.Core.Policy;

/// <summary>An instance's port policy (DESIGN §5): restrict_mode=false allows every port; else only the listed ones.</summary>
public sealed class PortPolicy
{
    private readonly Dictionary<int, PortRule> _byPort;

    public PortPolicy(IEnumerable<PortRule> ports, bool restrictMode)
    {
        Ports = ports.OrderBy(p => p.Port).ToArray();
        RestrictMode = restrictMode;
        _byPort = Ports.ToDictionary(p => p.Port);
    }

    /// <summary>Listed ports, ascending.</summary>
    public IReadOnlyList<PortRule> Ports { get; }

    public bool RestrictMode { get; }

    /// <summary>The policy an agent answering without `port_policy` gets: every port, no PROXY header.</summary>
    public static PortPolicy Open { get; } = new([], restrictMode: false);

    public bool IsAllowed(int port) => !RestrictMode || _byPort.ContainsKey(port);

    /// <summary>The listed rule for a port, or null when the port is not listed.</summary>
    public PortRule? Find(int port) => _byPort.GetValueOrDefault(port);
}
