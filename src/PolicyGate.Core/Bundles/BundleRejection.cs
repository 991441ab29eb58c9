namespace PolicyGate.Core.Bundles;

/// <summary>Why a bundle was refused: a stable <see cref="Code"/> (see <see cref="BundleErrors"/>) and a message naming the field.</summary>
public sealed record BundleRejection(string Code, string Message)
{
    public override string ToString() => Code + ": " + Message;
}
