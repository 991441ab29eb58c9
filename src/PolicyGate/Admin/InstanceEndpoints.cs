using System.Text.Json.Nodes;
using PolicyGate.Core.Policy;
using PolicyGate.Store;

namespace PolicyGate.Admin;

/// <summary>/api/v1/instances and their port policies (DESIGN §10); every change is audited with the caller.</summary>
public static class InstanceEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/instances", RegisterAsync);
        api.MapGet("/instances", List);
        api.MapGet("/instances/{id}", Get);
        api.MapDelete("/instances/{id}", DeleteAsync);
        api.MapPost("/instances/{id}/heartbeat", HeartbeatAsync);
        api.MapGet("/instances/{id}/port-policy", GetPortPolicy);
        api.MapPut("/instances/{id}/port-policy", SetPortPolicyAsync);
        api.MapDelete("/instances/{id}/port-policy", ClearPortPolicyAsync);
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, InstanceRegistry registry)
    {
        byte[]? body = await AdminRequestBody.ReadAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return AdminRequestBody.TooLarge();
        }

        InstanceRegistrationParseResult parsed = InstanceRegistrationParser.Parse(body);
        if (parsed.Error is not null)
        {
            return AdminResults.BadRequest(parsed.Error);
        }

        try
        {
            InstanceRecord record = await registry.RegisterAsync(parsed.Registration!, AdminAuthentication.CallerOf(context), context.RequestAborted);
            return AdminResults.Json(InstanceRecordJson.ToJson(record));
        }
        catch (ArgumentException e)
        {
            return AdminResults.BadRequest(e.Message);
        }
    }

    private static IResult List(HttpContext context, InstanceRegistry registry)
    {
        string? appId = context.Request.Query["app_id"];
        JsonArray instances = [];
        foreach (InstanceRecord record in registry.List(string.IsNullOrEmpty(appId) ? null : appId))
        {
            instances.Add(InstanceRecordJson.ToJson(record));
        }

        return AdminResults.Json(new JsonObject { ["instances"] = instances });
    }

    private static IResult Get(string id, InstanceRegistry registry)
        => registry.Get(id) is { } record ? AdminResults.Json(InstanceRecordJson.ToJson(record)) : AdminResults.InstanceNotFound(id);

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, InstanceRegistry registry)
        => await registry.DeleteAsync(id, AdminAuthentication.CallerOf(context), context.RequestAborted)
            ? Results.NoContent()
            : AdminResults.InstanceNotFound(id);

    private static async Task<IResult> HeartbeatAsync(string id, HttpContext context, InstanceRegistry registry)
        => await registry.HeartbeatAsync(id, context.RequestAborted) is { } record
            ? AdminResults.Json(InstanceRecordJson.ToJson(record))
            : AdminResults.InstanceNotFound(id);

    private static IResult GetPortPolicy(string id, InstanceRegistry registry)
        => registry.Get(id) is { } record ? AdminResults.Json(InstanceRecordJson.PortPolicyView(record)) : AdminResults.InstanceNotFound(id);

    private static async Task<IResult> SetPortPolicyAsync(string id, HttpContext context, InstanceRegistry registry)
    {
        if (!await registry.ExistsAsync(id, context.RequestAborted))
        {
            return AdminResults.InstanceNotFound(id);
        }

        byte[]? body = await AdminRequestBody.ReadAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return AdminRequestBody.TooLarge();
        }

        if (IsEmptyOrNull(body))
        {
            return AdminResults.BadRequest("port policy is required");
        }

        PortPolicyParseResult parsed = PortPolicyParser.Parse(body);
        if (!parsed.IsValid)
        {
            return AdminResults.BadRequest(parsed.Error!);
        }

        return await registry.SetOverrideAsync(id, parsed.Policy!, AdminAuthentication.CallerOf(context), context.RequestAborted) is { } record
            ? AdminResults.Json(InstanceRecordJson.PortPolicyView(record))
            : AdminResults.InstanceNotFound(id);
    }

    private static async Task<IResult> ClearPortPolicyAsync(string id, HttpContext context, InstanceRegistry registry)
        => await registry.ClearOverrideAsync(id, AdminAuthentication.CallerOf(context), context.RequestAborted) is { } record
            ? AdminResults.Json(InstanceRecordJson.PortPolicyView(record))
            : AdminResults.InstanceNotFound(id);

    private static bool IsEmptyOrNull(ReadOnlySpan<byte> body)
    {
        ReadOnlySpan<byte> trimmed = body.Trim(" \t\r\n"u8);
        return trimmed.IsEmpty || trimmed.SequenceEqual("null"u8);
    }
}
