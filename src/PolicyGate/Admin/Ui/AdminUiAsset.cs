namespace PolicyGate.Admin.Ui;

/// <summary>One embedded UI file: its bytes and Content-Type.</summary>
public sealed record AdminUiAsset(byte[] Content, string ContentType);
