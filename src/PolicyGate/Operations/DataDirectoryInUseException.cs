namespace PolicyGate.Operations;

/// <summary>Another process holds node.data_dir; the message names its pid so the operator can find it.</summary>
public sealed class DataDirectoryInUseException(string dataDirectory, int? holderPid)
    : IOException($"node.data_dir {dataDirectory} is in use by another PolicyGate process (pid {holderPid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}); two nodes must not share a data_dir")
{
    public int? HolderPid { get; } = holderPid;
}
