using System.Text;
using System.Text.Json.Nodes;

namespace PolicyGate.Admin;

/// <summary>JSON answers of the admin API: bodies as built, errors as <c>{"error":"..."}</c>.</summary>
public static class AdminResults
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public static IResult Json(JsonNode body, int status = StatusCodes.Status200OK)
        => Results.Content(body.ToJsonString(), JsonContentType, Encoding.UTF8, status);

    public static IResult Error(int status, string message) => Json(new JsonObject { ["error"] = message }, status);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);

    public static IResult InstanceNotFound(string instanceId) => Error(StatusCodes.Status404NotFound, $"instance {instanceId} not found");
}
