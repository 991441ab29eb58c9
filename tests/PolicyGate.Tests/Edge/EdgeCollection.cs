namespace PolicyGate.Tests.Edge;

/// <summary>Edge tests run one class at a time: they share the process-wide metrics and load the 2-core machine with bulk transfers.</summary>
[CollectionDefinition(Name)]
public sealed class EdgeCollection
{
    public const string Name = "Edge";
}
