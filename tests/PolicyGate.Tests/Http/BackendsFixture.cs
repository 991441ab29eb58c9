using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PolicyGate.Tests.Http;

/// <summary>Two loopback backends shared by a test class: HTTP/1.1 plaintext and h2c (HTTP/2 prior knowledge only).</summary>
public sealed class BackendsFixture : IAsyncLifetime
{
    internal EchoBackend Http1 { get; private set; } = null!;
    internal EchoBackend H2c { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Http1 = await EchoBackend.StartAsync(HttpProtocols.Http1);
        H2c = await EchoBackend.StartAsync(HttpProtocols.Http2);
    }

    public async Task DisposeAsync()
    {
        await Http1.DisposeAsync();
        await H2c.DisposeAsync();
    }
}
