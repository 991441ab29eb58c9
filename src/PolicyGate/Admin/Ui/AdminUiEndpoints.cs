using PolicyGate.Operations;

namespace PolicyGate.Admin.Ui;

/// <summary>
/// Serves the web UI under /ui/ on the admin listener. The files hold no data and are served without the token;
/// every data call the UI makes goes to the public /api/v1 endpoints with the bearer token.
/// </summary>
public static class AdminUiEndpoints
{
    /// <summary>No inline script or style, nothing from another origin, no framing, no form posts.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Map(WebApplication app)
    {
        AdminUiAssets assets = AdminUiAssets.Load();
        RouteGroupBuilder ui = app.MapGroup("/ui")
            .AddEndpointFilter(static async (context, next) =>
                ListenerFeature.Of(context.HttpContext) == ListenerKind.Admin ? await next(context) : Results.NotFound());
        // "/ui" and "/ui/" both match the catch-all; relative asset URLs need the slash, so "/ui" redirects.
        ui.MapGet("/{**path}", (HttpContext context, string? path) =>
            context.Request.Path.Value == "/ui" ? Results.Redirect("/ui/") : Serve(context, assets, path ?? ""));
    }

    private static IResult Serve(HttpContext context, AdminUiAssets assets, string path)
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-cache";
        AdminUiAsset? asset = assets.Find(path);
        return asset is null
            ? Results.Text("not found", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound)
            : Results.Bytes(asset.Content, asset.ContentType);
    }
}
