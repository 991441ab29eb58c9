using System.Data.Common;
using PolicyGate.Admin;

namespace PolicyGate.Store;

/// <summary>
/// Admin API filter: a store that cannot be reached answers 503 <c>{"error":"store unavailable: …"}</c> (DESIGN §10/§11),
/// at once while the outage is known, else within the connect timeout; nothing was changed.
/// </summary>
public static class StoreUnavailableFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (StoreUnavailableException e)
        {
            return AdminResults.Error(StatusCodes.Status503ServiceUnavailable, e.Message);
        }
        catch (DbException e) when (IsConnectionFailure(e))
        {
            // The server went away mid-transaction (the health probe marks the outage within a second).
            return AdminResults.Error(StatusCodes.Status503ServiceUnavailable, "store unavailable: " + e.Message);
        }
    }

    private static bool IsConnectionFailure(DbException e)
        => e is Npgsql.NpgsqlException and not Npgsql.PostgresException
            || e is Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" };
}
