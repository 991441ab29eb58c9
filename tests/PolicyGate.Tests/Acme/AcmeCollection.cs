namespace PolicyGate.Tests.Acme;

/// <summary>ACME tests run one class at a time: they read the process-wide ACME metrics as before/after deltas.</summary>
[CollectionDefinition(Name)]
public sealed class AcmeCollection
{
    public const string Name = "Acme";
}
