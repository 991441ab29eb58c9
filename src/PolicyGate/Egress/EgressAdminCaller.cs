namespace PolicyGate.Egress;

/// <summary>Who made an admin change (for audit and created_by): the authenticated principal's name, else "admin".</summary>
public static class EgressAdminCaller
{
    public static string Of(HttpContext context)
    {
        string? name = context.User?.Identity?.Name;
        return string.IsNullOrEmpty(name) ? "admin" : name;
    }
}
