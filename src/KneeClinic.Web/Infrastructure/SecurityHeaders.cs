using Microsoft.AspNetCore.StaticFiles;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Headers every answer carries: a Content-Security-Policy that allows only our own scripts (no inline script),
/// no framing, no MIME sniffing, no referrer leaving the app, and no caching of anything but the static files,
/// since almost every page shows patient data.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static readonly string[] StaticPrefixes = ["/lib/", "/css/", "/js/", "/favicon"];

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            if (!StaticPrefixes.Any(p => context.Request.Path.StartsWithSegments(p.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>
    /// A static file asked for with its content hash (<c>?v=</c>, written by <c>asp-append-version</c>) never changes
    /// under that address, so the browser keeps it a year without asking again: a clinician's phone on the ward's Wi-Fi
    /// does not fetch or revalidate the style sheet and scripts on every page. Files asked for without it are
    /// revalidated as before.
    /// </summary>
    public static void CacheVersionedFiles(StaticFileResponseContext context)
    {
        if (context.Context.Request.Query.ContainsKey("v"))
            context.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
    }
}
