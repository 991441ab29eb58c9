using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using PolicyGate.Edge;
using Yarp.ReverseProxy.Forwarder;

namespace PolicyGate.Http;

/// <summary>
/// Per client connection forwarding state, kept in the connection's items: the backend address prefix, the formatted
/// client address, the transformer, the request config (activity timeout = edge.timeouts.idle of the connection's runtime
/// config), and (pp = true) the connection's own backend invoker, disposed when the connection closes.
/// </summary>
public sealed class ForwardingConnectionState : IDisposable
{
    private static readonly object s_itemsKey = new();

    private readonly BackendInvokerFactory _invokers;
    private readonly object _gate = new();
    private HttpMessageInvoker? _proxyProtocolInvoker;
    private ForwardedCache? _forwarded;
    private bool _disposed;

    private ForwardingConnectionState(EdgeConnectionFeature edge, BackendInvokerFactory invokers)
    {
        _invokers = invokers;
        Edge = edge;
        DestinationPrefix = CreateDestinationPrefix(edge.Instance.Address, edge.Port);
        ClientForwardedFor = ForwardedHeaderValue.ForwardedFor(edge.Client.Address);
        ClientForParameter = ForwardedHeaderValue.ForParameter(edge.Client.Address);
        Transformer = new EdgeRequestTransformer(this);
        TimeSpan activity = edge.Config.Edge.Timeouts.Idle;
        RequestConfig = edge.Http2
            ? new ForwarderRequestConfig { ActivityTimeout = activity, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }
            : new ForwarderRequestConfig { ActivityTimeout = activity, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
    }

    public EdgeConnectionFeature Edge { get; }

    /// <summary>`http://address:port` of the routed instance.</summary>
    public string DestinationPrefix { get; }

    /// <summary>The edge's client address as X-Forwarded-For carries it.</summary>
    public string ClientForwardedFor { get; }

    /// <summary>The edge's client address as the `for=` parameter of `Forwarded`.</summary>
    public string ClientForParameter { get; }

    public EdgeRequestTransformer Transformer { get; }

    /// <summary>How YARP sends this connection's requests: HTTP version and the backend activity timeout.</summary>
    public ForwarderRequestConfig RequestConfig { get; }

    /// <summary>The state of the request's connection, created on its first request.</summary>
    public static ForwardingConnectionState Of(HttpContext context, EdgeConnectionFeature edge, BackendInvokerFactory invokers)
    {
        IDictionary<object, object?>? items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is null)
        {
            // No connection scope (not Kestrel): the state lives for this request only.
            ForwardingConnectionState transient = new(edge, invokers);
            context.Response.RegisterForDispose(transient);
            return transient;
        }

        // HTTP/2 streams of one connection run concurrently; the items dictionary is not thread-safe.
        lock (items)
        {
            if (items.TryGetValue(s_itemsKey, out object? existing) && existing is ForwardingConnectionState known)
            {
                return known;
            }

            ForwardingConnectionState created = new(edge, invokers);
            CancellationToken closed = context.Features.Get<IConnectionLifetimeFeature>()?.ConnectionClosed ?? CancellationToken.None;
            if (closed.CanBeCanceled)
            {
                items[s_itemsKey] = created;
                closed.Register(static state => ((ForwardingConnectionState)state!).Dispose(), created);
            }
            else
            {
                // No close notification: never keep a pp invoker beyond the request that created it.
                context.Response.RegisterForDispose(created);
            }

            return created;
        }
    }

    /// <summary>The invoker for this connection: shared, or (pp = true) this connection's own.</summary>
    public HttpMessageInvoker InvokerFor(bool sendProxyHeader)
    {
        if (!sendProxyHeader)
        {
            return _invokers.Shared;
        }

        HttpMessageInvoker? invoker = Volatile.Read(ref _proxyProtocolInvoker);
        if (invoker is not null)
        {
            return invoker;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _proxyProtocolInvoker ??= _invokers.CreateProxyProtocolInvoker(Edge);
        }
    }

    /// <summary>The `Forwarded` element for a request to <paramref name="host"/>, cached for the connection's last host.</summary>
    public string ForwardedFor(string host)
    {
        ForwardedCache? cached = Volatile.Read(ref _forwarded);
        if (cached is not null && string.Equals(cached.Host, host, StringComparison.Ordinal))
        {
            return cached.Value;
        }

        ForwardedCache fresh = new(host, ForwardedHeaderValue.Create(ClientForParameter, host));
        Volatile.Write(ref _forwarded, fresh);
        return fresh.Value;
    }

    public void Dispose()
    {
        HttpMessageInvoker? invoker;
        lock (_gate)
        {
            _disposed = true;
            invoker = _proxyProtocolInvoker;
            _proxyProtocolInvoker = null;
        }

        invoker?.Dispose();
    }

    private static string CreateDestinationPrefix(string address, int port)
    {
        bool bracket = IPAddress.TryParse(address, out IPAddress? ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 && !address.StartsWith('[');
        return bracket ? $"http://[{address}]:{port}" : $"http://{address}:{port}";
    }

    private sealed record ForwardedCache(string Host, string Value);
}
