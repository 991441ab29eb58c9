namespace PolicyGate.Admin;

/// <summary>Bearer-token check for the whole /api/v1 group: 401 <c>{"error":"unauthorized"}</c> with <c>WWW-Authenticate: Bearer</c>.</summary>
public static class AdminAuthentication
{
    private const string CallerItem = "policygate.admin.caller";

    /// <summary>The authenticated caller's audit identity (e.g. "admin-token:1a2b3c4d"); "unknown" outside the admin API.</summary>
    public static string CallerOf(HttpContext context) => context.Items[CallerItem] as string ?? "unknown";

    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        AdminToken token = http.RequestServices.GetRequiredService<AdminToken>();
        string? header = http.Request.Headers.Authorization;
        const string scheme = "Bearer ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || !token.Matches(header.AsSpan(scheme.Length).Trim()))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return AdminResults.Error(StatusCodes.Status401Unauthorized, "unauthorized");
        }

        http.Items[CallerItem] = token.CallerId;
        return await next(context);
    }
}
