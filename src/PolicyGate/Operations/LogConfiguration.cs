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
            // YARP logs two Information lines per proxied request (~10 % CPU on small requests, load/README.md).
            .MinimumLevel.Override("Yarp", LogEventLevel.Warning)
            // The edge terminates TLS in its own middleware and hands ALPN to Kestrel, so Kestrel's
            // "HTTP/2 is not enabled ... TLS is not enabled" startup warning for edge listeners is false.
            .Filter.ByExcluding(static e => e.MessageTemplate.Text.StartsWith("HTTP/2 is not enabled", StringComparison.Ordinal))
            // Kestrel names every listener http:// (the edge's TLS is PolicyGate's own middleware); the banner, or in
            // production the "listening:" events, name each listener with its real scheme instead.
            .Filter.ByExcluding(static e => e.MessageTemplate.Text.StartsWith("Now listening on", StringComparison.Ordinal))
            .Enrich.FromLogContext()
            .Enrich.With(new ConnectionIdEnricher());
        return options.IsProduction
            ? configuration.WriteTo.Console(new CompactJsonFormatter())
            : configuration.WriteTo.Console(outputTemplate: DevTemplate, formatProvider: CultureInfo.InvariantCulture);
    }
}
