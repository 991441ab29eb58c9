using System.Globalization;
using PolicyGate.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace PolicyGate.Operations;

/// <summary>Serilog setup: readable text in dev, compact JSON (CLEF) on stdout in production; connection ids on every line.</summary>
public static class LogConfiguration
{
    public const string DevTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}{ConnectionTag}: {Message:lj}{NewLine}{Exception}";

    public static LoggerConfiguration Apply(LoggerConfiguration configuration, PolicyGateOptions options)
    {
        configuration
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext()
            .Enrich.With(new ConnectionIdEnricher());
        return options.IsProduction
            ? configuration.WriteTo.Console(new CompactJsonFormatter())
            : configuration.WriteTo.Console(outputTemplate: DevTemplate, formatProvider: CultureInfo.InvariantCulture);
    }
}
