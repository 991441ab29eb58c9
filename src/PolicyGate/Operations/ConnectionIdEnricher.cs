using Serilog.Core;
using Serilog.Events;

namespace PolicyGate.Operations;

/// <summary>Adds `ConnectionTag` (" [conn-id]" or empty) so the dev text template shows Kestrel's connection scope on every line of a connection.</summary>
public sealed class ConnectionIdEnricher : ILogEventEnricher
{
    private static readonly LogEventProperty s_empty = new("ConnectionTag", new ScalarValue(""));

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Properties.TryGetValue("ConnectionId", out LogEventPropertyValue? id) && id is ScalarValue { Value: { } value })
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("ConnectionTag", " [" + value + "]"));
            return;
        }

        logEvent.AddPropertyIfAbsent(s_empty);
    }
}
