namespace PolicyGate.Configuration;

/// <summary>A configuration error; the message is one line: `file:line: key: what is wrong`.</summary>
public sealed class ConfigException(string message) : Exception(message);
