using System.Net;
using Microsoft.Extensions.Primitives;
using PolicyGate.Inspection;
using Yarp.ReverseProxy.Forwarder;

namespace PolicyGate.Http;

/// <summary>
/// DESIGN §6 transforms for one client connection: client-sent X-Forwarded-* and Forwarded dropped; X-Forwarded-For/-Proto/-Host
/// and Forwarded set from the real client (the edge's client, or CF-Connecting-IP when the socket peer is a trusted proxy);
/// the request id echoed on the response over whatever the backend sent.
/// </summary>
public sealed class EdgeRequestTransformer(ForwardingConnectionState connection) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        System.Net.Http.Headers.HttpRequestHeaders headers = proxyRequest.Headers;
        RemoveClientForwardingHeaders(headers);

        string forwardedFor = connection.ClientForwardedFor;
        string forParameter = connection.ClientForParameter;
        bool fromCloudflare = false;
        StringValues cf = httpContext.Request.Headers[HttpHeaderNames.CfConnectingIp];
        if (cf.Count > 0)
        {
            if (connection.Edge.PeerIsTrustedProxy && cf.Count == 1 && IPAddress.TryParse(cf[0], out IPAddress? cfClient))
            {
                forwardedFor = ForwardedHeaderValue.ForwardedFor(cfClient);
                forParameter = ForwardedHeaderValue.ForParameter(cfClient);
                fromCloudflare = true;
            }
            else
            {
                // Untrusted peer (spoofing) or unparsable value: the backend must not see it either.
                headers.Remove(HttpHeaderNames.CfConnectingIp);
            }
        }

        string host = httpContext.Request.Host.Value ?? "";
        headers.TryAddWithoutValidation(HttpHeaderNames.XForwardedFor, forwardedFor);
        headers.TryAddWithoutValidation(HttpHeaderNames.XForwardedProto, "https");
        if (host.Length > 0)
        {
            headers.TryAddWithoutValidation(HttpHeaderNames.XForwardedHost, host);
        }

        string forwarded = fromCloudflare ? ForwardedHeaderValue.Create(forParameter, host) : connection.ForwardedFor(host);
        headers.TryAddWithoutValidation(HttpHeaderNames.Forwarded, forwarded);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        IHeaderDictionary responseHeaders = httpContext.Response.Headers;
        StringValues requestId = responseHeaders[HttpHeaderNames.XRequestId];
        bool proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        // Only PolicyGate says what it blocked: a backend cannot forge the header clients and operators read.
        responseHeaders.Remove(BlockedResponse.HeaderName);
        if (requestId.Count > 0)
        {
            responseHeaders[HttpHeaderNames.XRequestId] = requestId;
        }

        return proceed;
    }

    private static void RemoveClientForwardingHeaders(System.Net.Http.Headers.HttpRequestHeaders headers)
    {
        // Common case: nothing to drop; the non-validated view enumerates without allocating.
        bool found = false;
        foreach (KeyValuePair<string, System.Net.Http.Headers.HeaderStringValues> header in headers.NonValidated)
        {
            if (IsClientForwardingHeader(header.Key))
            {
                found = true;
                break;
            }
        }

        if (!found)
        {
            return;
        }

        List<string> drop = [];
        foreach (KeyValuePair<string, System.Net.Http.Headers.HeaderStringValues> header in headers.NonValidated)
        {
            if (IsClientForwardingHeader(header.Key))
            {
                drop.Add(header.Key);
            }
        }

        foreach (string name in drop)
        {
            headers.Remove(name);
        }
    }

    private static bool IsClientForwardingHeader(string name) =>
        name.StartsWith(HttpHeaderNames.XForwardedPrefix, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, HttpHeaderNames.Forwarded, StringComparison.OrdinalIgnoreCase);
}
