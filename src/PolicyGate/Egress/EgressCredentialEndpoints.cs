using System.Text.Json.Nodes;
using PolicyGate.Admin;

namespace PolicyGate.Egress;

/// <summary>PUT/DELETE /egress/containers/{c}/credential: the secret a container proves its Basic user name with (DESIGN §8).</summary>
public static class EgressCredentialEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPut("/egress/containers/{container}/credential", SetAsync);
        api.MapDelete("/egress/containers/{container}/credential", DeleteAsync);
    }

    private static async Task<IResult> SetAsync(string container, HttpContext context, EgressStore store, EgressCredentials credentials)
    {
        if (!IsContainerName(container))
        {
            return EgressJson.Error(400, $"container '{container}' must be a plain name (letters, digits, '.', '_', '-'; no wildcards)");
        }

        (JsonObject? body, IResult? bad) = await EgressJson.ReadObjectAsync(context.Request);
        if (body is null)
        {
            return bad!;
        }

        if (!EgressJson.TryRequired(body, "secret", out string secret, out string error))
        {
            return EgressJson.Error(400, error);
        }

        if (secret.Length is < EgressCredential.MinSecretLength or > EgressCredential.MaxSecretLength)
        {
            return EgressJson.Error(400, $"secret must be {EgressCredential.MinSecretLength} to {EgressCredential.MaxSecretLength} characters");
        }

        if (body.Count != 1)
        {
            return EgressJson.Error(400, "only secret is accepted");
        }

        EgressCredential credential = EgressCredential.Create(container, secret, store.Now);
        string caller = AdminAuthentication.CallerOf(context);
        await store.ChangeAsync(ct => EgressRuleEndpoints.Run(credentials.SetAsync(credential, ct)), "admin.egress.credential.set", container, caller,
            null, context.RequestAborted);
        return AdminResults.Json(new JsonObject { ["container"] = container, ["updated_at"] = credential.UpdatedAt.UtcDateTime.ToString("O") });
    }

    private static async Task<IResult> DeleteAsync(string container, HttpContext context, EgressStore store, EgressCredentials credentials)
    {
        string caller = AdminAuthentication.CallerOf(context);
        bool deleted = await store.ChangeAsync(ct => credentials.DeleteAsync(container, ct), "admin.egress.credential.delete", container, caller,
            null, context.RequestAborted);
        return AdminResults.Json(new JsonObject { ["container"] = container, ["deleted"] = deleted });
    }

    private static bool IsContainerName(string container) =>
        container.Length is > 0 and <= 128 && !container.StartsWith("unknown-", StringComparison.Ordinal)
        && container.All(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
