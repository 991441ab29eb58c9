using PolicyGate.Admin;
using PolicyGate.Configuration;

namespace PolicyGate.Acme;

/// <summary>Wires the ACME certificate service (when edge.acme.enabled) and its admin endpoint.</summary>
public static class AcmeRegistration
{
    public static IServiceCollection AddAcme(this IServiceCollection services, PolicyGateOptions options)
    {
        if (options.Edge.Acme.Enabled)
        {
            services.AddSingleton<AcmeCertificateService>();
            services.AddHostedService(static s => s.GetRequiredService<AcmeCertificateService>());
        }

        return services;
    }

    /// <summary>POST /api/v1/certificates/renew: renew now; 200 with the new certificate, 502 with the reason (old one kept), 409 when ACME is off.</summary>
    public static void MapAcmeAdmin(RouteGroupBuilder api)
    {
        api.MapPost("/certificates/renew", static async (HttpContext context) =>
        {
            if (context.RequestServices.GetService<AcmeCertificateService>() is not { } service)
            {
                return AdminResults.Error(StatusCodes.Status409Conflict, "edge.acme is not enabled");
            }

            AcmeRenewalResult result = await service.RenewNowAsync(context.RequestAborted);
            System.Text.Json.Nodes.JsonObject body = new()
            {
                ["ok"] = result.Ok,
                ["kind"] = result.Kind,
                ["message"] = result.Message,
                ["serial"] = result.Serial,
                ["not_after"] = result.NotAfter?.ToString("O"),
                ["next_attempt"] = result.NextAttempt.ToString("O"),
            };
            if (!result.Ok)
            {
                body["error"] = result.Message;
            }

            return AdminResults.Json(body, result.Ok ? StatusCodes.Status200OK : StatusCodes.Status502BadGateway);
        });
    }
}
