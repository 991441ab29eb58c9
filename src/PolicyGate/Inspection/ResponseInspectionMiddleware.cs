using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using PolicyGate.Core.Audit;
using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Tenants;
using PolicyGate.Edge;
using PolicyGate.Runtime;

namespace PolicyGate.Inspection;

/// <summary>
/// Response inspection (DESIGN §7): picks the connection's tenant, fails closed when it is gone, and wraps the
/// response body so both detection channels see every byte before the client does.
/// </summary>
public sealed class ResponseInspectionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly TenantCatalog _catalog;
    private readonly RuntimeConfigProvider _runtime;
    private readonly IAuditLog _audit;

    public ResponseInspectionMiddleware(RequestDelegate next, TenantCatalog catalog, RuntimeConfigProvider runtime, IAuditLog audit)
    {
        _next = next;
        _catalog = catalog;
        _runtime = runtime;
        _audit = audit;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        EdgeConnectionFeature? edge = context.Features.Get<EdgeConnectionFeature>();
        string tenantId = edge?.TenantId ?? "default";
        // The connection's runtime config (read at accept); outside the edge, the current one.
        long holdBytes = (edge?.Config ?? _runtime.Current).Inspection.HoldBytes;
        TenantPolicy? policy = _catalog.Current.Find(tenantId);
        InspectionContext inspection = new(context, tenantId, policy, _audit, holdBytes);
        IHttpResponseBodyFeature original = context.Features.Get<IHttpResponseBodyFeature>()!;
        if (policy is null)
        {
            InspectionMetrics.Verdicts.WithLabels("block", DetectorNames.Tenant).Inc();
            await BlockedResponse.WriteAsync(inspection, original, DetectorNames.Tenant, [DetectorNames.Tenant]);
            return;
        }

        if (policy.Mode == InspectionMode.Off)
        {
            await _next(context);
            return;
        }

        if (IsUpgrade(context))
        {
            inspection.Enqueue(InspectionAuditKinds.Upgrade, "allow", "upgrade not inspected", []);
            await _next(context);
            return;
        }

        context.Request.Headers.Remove(HeaderNames.AcceptEncoding);
        InspectingResponseBody body = new(inspection, policy, original);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        try
        {
            await _next(context);
            await body.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
            await body.DisposeAsync();
        }
    }

    private static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;
}
