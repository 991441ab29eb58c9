namespace PolicyGate.Cluster;

/// <summary>Values of cluster.role (DESIGN §3).</summary>
public static class ClusterRoles
{
    public const string Standalone = "standalone";
    public const string Leader = "leader";
    public const string Follower = "follower";
}
