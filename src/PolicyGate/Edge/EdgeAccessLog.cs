using System.Diagnostics;
using PolicyGate.AccessLog;

namespace PolicyGate.Edge;

/// <summary>The access-log entry of one edge connection, built once when the connection ends.</summary>
internal static class EdgeAccessLog
{
    public static AccessLogEntry Entry(EdgeConnectionState state, DateTime acceptedAt, long started) => new()
    {
        Time = acceptedAt,
        Kind = AccessLogEntry.KindConnection,
        ConnectionId = state.ConnectionId,
        Client = state.Client.ToString(),
        Sni = state.Sni,
        Mode = state.Route?.IsHealth == true ? "health" : state.Mode.Length > 0 ? state.Mode : null,
        App = state.AppId,
        Instance = state.InstanceId ?? (state.Mode == EdgeConstants.ModeHttp && state.Allowed.Count > 0 ? state.Allowed[0].Instance.InstanceId : null),
        Port = state.Route?.Port,
        Outcome = state.Outcome.Length > 0 ? state.Outcome : state.Route?.IsHealth == true ? EdgeConstants.OutcomeOk : EdgeConstants.OutcomeError,
        Reason = state.Reason,
        BytesIn = state.BytesIn,
        BytesOut = state.BytesOut,
        DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
    };
}
