using PolicyGate.Operations;

namespace PolicyGate.Admin;

/// <summary>
/// Bearer-token check for every path under /api/ on the admin listener, known or not, before routing (DESIGN §10):
/// 401 <c>{"error":"unauthorized"}</c> with <c>WWW-Authenticate: Bearer</c>, so nothing about what exists can be probed.
/// </summary>
public static class AdminAuthentication
{
    private const string CallerItem = "policygate.admin.caller";

    /// <summary>The authenticated caller's audit identity (e.g. "admin-token:1a2b3c4d"); "unknown" outside the admin API.</summary>
    public static string CallerOf(HttpContext context) => context.Items[CallerItem] as string ?? "unknown";

    /// <summary>Runs before routing: an /api/ request on the admin listener without the right token never reaches an endpoint.</summary>
    public static Task MiddlewareAsync(HttpContext http, RequestDelegate next)
    {
        if (ListenerFeature.Of(http) != ListenerKind.Admin || !http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return next(http);
        }
        if (!Authenticate(http))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return AdminResults.Error(StatusCodes.Status401Unauthorized, "unauthorized").ExecuteAsync(http);
        }
        return next(http);
    }

    /// <summary>Endpoint filter kept on the /api/v1 group so an endpoint is never reachable without an authenticated caller.</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        if (http.Items[CallerItem] is null && !Authenticate(http))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return AdminResults.Error(StatusCodes.Status401Unauthorized, "unauthorized");
        }
        return await next(context);
    }

    private static bool Authenticate(HttpContext http)
    {
        AdminToken token = http.RequestServices.GetRequiredService<AdminToken>();
        string? header = http.Request.Headers.Authorization;
        const string scheme = "Bearer ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || !token.Matches(header.AsSpan(scheme.Length).Trim()))
        {
            return false;
        }
        http.Items[CallerItem] = token.CallerId;
        return true;
    }
}
