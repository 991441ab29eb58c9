namespace PolicyGate.Core.Bundles;

/// <summary>Which nodes a bundle is for: a node listed in <see cref="NodeIds"/>, or one carrying every label in <see cref="Labels"/>.</summary>
public sealed record BundleAudience(IReadOnlyList<string> NodeIds, IReadOnlyDictionary<string, string> Labels)
{
    public bool Matches(string nodeId, IReadOnlyDictionary<string, string> nodeLabels)
    {
        if (NodeIds.Contains(nodeId, StringComparer.Ordinal))
        {
            return true;
        }

        return Labels.Count > 0 && Labels.All(l => nodeLabels.TryGetValue(l.Key, out string? v) && string.Equals(v, l.Value, StringComparison.Ordinal));
    }
}
