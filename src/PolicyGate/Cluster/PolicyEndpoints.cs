using PolicyGate.Admin;

namespace PolicyGate.Cluster;

/// <summary>Admin API: PUT /api/v1/policy/bundle (leader publishes) and GET /api/v1/policy/status (every role).</summary>
public static class PolicyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPut("/policy/bundle", PublishAsync);
        api.MapGet("/policy/status", static (BundleStatus status, BundleApplier applier) => AdminResults.Json(status.ToJson(applier.Published)));
    }

    private static async Task<IResult> PublishAsync(HttpContext context, BundleApplier applier, Configuration.PolicyGateOptions options)
    {
        if (options.Cluster.Role != ClusterRoles.Leader)
        {
            return AdminResults.Error(StatusCodes.Status409Conflict, $"this node is a {options.Cluster.Role}: bundles are published on the leader (cluster.role = \"leader\")");
        }

        byte[] body = await BundleBody.ReadAsync(context.Request.Body, context.RequestAborted);
        (int status, System.Text.Json.Nodes.JsonObject answer) = await applier.PublishAsync(body, AdminAuthentication.CallerOf(context), context.RequestAborted);
        return AdminResults.Json(answer, status);
    }
}
