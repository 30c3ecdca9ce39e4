namespace Provisioning.Gateway;

public static class SecurityHeadersExtensions
{
    /// <summary>The policy of every page and API answer: only the gateway's own scripts, styles and data; never in a frame.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Adds <c>X-Content-Type-Options: nosniff</c> and <see cref="ContentSecurityPolicy"/> to every answer. The Orleans
    /// dashboard under <c>/dashboard</c> is a third-party page built with inline code; it gets <c>frame-ancestors 'none'</c> only.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(Observability.OrleansDashboardExtensions.RoutePrefix)
            && !context.Request.Path.StartsWithSegments(Operators.DashboardSession.SignInPath)
            ? "frame-ancestors 'none'"
            : ContentSecurityPolicy;
        return next(context);
    });
}
