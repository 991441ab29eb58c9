namespace PolicyGate.Edge;

/// <summary>Why a connection is closed before anything is forwarded: a metrics reason plus a precise detail for logs and audit.</summary>
internal readonly record struct EdgeDenial(string Reason, string Detail);
