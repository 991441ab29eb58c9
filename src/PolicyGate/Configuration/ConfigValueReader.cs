using Tomlyn.Syntax;

namespace PolicyGate.Configuration;

/// <summary>Reads one TOML value into a typed setting; false with a one-line reason when the value is wrong.</summary>
internal delegate bool ConfigValueReader<T>(ValueSyntax value, out T result, out string error);
