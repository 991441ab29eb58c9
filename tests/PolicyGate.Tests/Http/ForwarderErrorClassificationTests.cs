using System.Net.Sockets;
using PolicyGate.Http;
using Yarp.ReverseProxy.Forwarder;

namespace PolicyGate.Tests.Http;

/// <summary>Every YARP error kind maps to a precise client answer (or none once the response has started).</summary>
public sealed class ForwarderErrorClassificationTests
{
    private static readonly TimeSpan s_activity = TimeSpan.FromSeconds(600);

    [Fact]
    public void Connect_failures_are_502_with_the_socket_reason()
    {
        HttpRequestException refused = new("send failed", new SocketException((int)SocketError.ConnectionRefused));
        Assert.Equal((502, "backend unavailable", "connect failed: connection refused"), ForwarderErrorResponder.Classify(ForwarderError.Request, refused, s_activity));
        HttpRequestException unreachable = new("send failed", new SocketException((int)SocketError.HostUnreachable));
        Assert.Equal((502, "backend unavailable", "connect failed: host unreachable"), ForwarderErrorResponder.Classify(ForwarderError.Request, unreachable, s_activity));
    }

    [Fact]
    public void Timeouts_are_504()
    {
        TaskCanceledException connectTimeout = new("connect", new TimeoutException());
        Assert.Equal((504, "backend timeout", "connect to the backend timed out"), ForwarderErrorResponder.Classify(ForwarderError.RequestCanceled, connectTimeout, s_activity));
        Assert.Equal((504, "backend timeout", "connect to the backend timed out"), ForwarderErrorResponder.Classify(ForwarderError.RequestTimedOut, connectTimeout, s_activity));
        Assert.Equal((504, "backend timeout", "no response activity from the backend within 600s"), ForwarderErrorResponder.Classify(ForwarderError.RequestTimedOut, new OperationCanceledException(), s_activity));
    }

    [Theory]
    [InlineData(ForwarderError.ResponseHeaders, 502)]
    [InlineData(ForwarderError.RequestBodyDestination, 502)]
    [InlineData(ForwarderError.RequestBodyClient, 400)]
    [InlineData(ForwarderError.RequestBodyCanceled, 400)]
    [InlineData(ForwarderError.NoAvailableDestinations, 503)]
    [InlineData(ForwarderError.RequestCreation, 500)]
    [InlineData(ForwarderError.ResponseBodyDestination, 0)]
    [InlineData(ForwarderError.ResponseBodyClient, 0)]
    [InlineData(ForwarderError.ResponseBodyCanceled, 0)]
    [InlineData(ForwarderError.UpgradeRequestClient, 0)]
    [InlineData(ForwarderError.UpgradeResponseDestination, 0)]
    [InlineData(ForwarderError.UpgradeActivityTimeout, 0)]
    public void Other_kinds_map_precisely(ForwarderError error, int status)
    {
        Assert.Equal(status, ForwarderErrorResponder.Classify(error, null, s_activity).Status);
    }
}
