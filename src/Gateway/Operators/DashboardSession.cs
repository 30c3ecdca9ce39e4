using Provisioning.ServiceDefaults;
using System.Net;
using Provisioning.Gateway.Observability;

namespace Provisioning.Gateway.Operators;

/// <summary>
/// Signing in to the Orleans dashboard from a browser, which cannot add an operator key header when it navigates:
/// <c>GET /dashboard/sign-in</c> shows a form, <c>POST /dashboard/sign-in</c> with a valid operator key sets a session
/// cookie (<see cref="CookieName"/>: HTTP-only, <c>SameSite=Strict</c>, sent only under <c>/dashboard</c>, valid for
/// <see cref="Lifetime"/>), and <c>POST /dashboard/sign-out</c> removes it. The cookie carries the operator's name, its
/// expiry and a MAC keyed by that operator's key (<see cref="OperatorKeyRing.IssueSession"/>): nothing is stored, and
/// removing or rotating the key ends the session. It opens the dashboard only, never <c>/api</c>. Failed sign-ins are
/// bounded per client address (<see cref="OperatorKeyThrottle"/>).
/// </summary>
public static class DashboardSession
{
    public const string CookieName = "provisioning_dashboard";

    public const string SignInPath = OrleansDashboardExtensions.RoutePrefix + "/sign-in";

    public const string SignOutPath = OrleansDashboardExtensions.RoutePrefix + "/sign-out";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>The session cookie of a request under <c>/dashboard</c>, or null.</summary>
    public static string? Read(HttpRequest request) =>
        request.Path.StartsWithSegments(OrleansDashboardExtensions.RoutePrefix) && request.Cookies.TryGetValue(CookieName, out var session)
            ? session
            : null;

    /// <summary>A browser navigating to a dashboard page (not its data feeds, which answer 401 as before).</summary>
    public static bool IsPageRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.Path.StartsWithSegments(OrleansDashboardExtensions.RoutePrefix)
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapDashboardSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(SignInPath, () => Page(null, HttpStatusCode.OK)).ExcludeFromDescription();
        app.MapPost(SignInPath, SignInAsync).ExcludeFromDescription();
        app.MapPost(SignOutPath, (HttpContext context) =>
        {
            context.Response.Cookies.Delete(CookieName, CookieOptions(context.Request, expires: null));
            return Results.Redirect(SignInPath);
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>The largest sign-in form accepted: a key and its field name fit many times over.</summary>
    public const int MaxFormBytes = 1024;

    private static async Task<IResult> SignInAsync(
        HttpContext context, OperatorKeyRing keys, OperatorKeyThrottle throttle, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(DashboardSession).FullName!);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var request = context.Request;
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return Page("Send the sign-in form (application/x-www-form-urlencoded).", HttpStatusCode.UnsupportedMediaType);
        }

        if (request.ContentLength is not { } length || length > MaxFormBytes)
        {
            return Page($"The sign-in form is larger than {MaxFormBytes} bytes.", HttpStatusCode.RequestEntityTooLarge);
        }

        if (!throttle.TryBegin(address, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            OperatorLog.SignInThrottled(logger, address, seconds);
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page($"Too many failed sign-ins from this address. Try again in {seconds} seconds.", HttpStatusCode.TooManyRequests);
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        var key = form["key"].ToString().Trim();
        if (string.IsNullOrEmpty(key) || keys.NameOf(key) is not { } name)
        {
            OperatorLog.KeyRejected(logger, request.Method, LogText.Escape(request.Path), address);
            return Page(string.IsNullOrEmpty(key) ? "Enter an operator key." : "That is not an operator key.", HttpStatusCode.Unauthorized);
        }

        throttle.Succeeded(address);
        var expiresAt = time.GetUtcNow() + Lifetime;
        context.Response.Cookies.Append(CookieName, keys.IssueSession(name, expiresAt), CookieOptions(context.Request, expiresAt));
        OperatorLog.SignedIn(logger, name, context.Connection.RemoteIpAddress?.ToString());
        return Results.Redirect(OrleansDashboardExtensions.RoutePrefix + "/");
    }

    private static CookieOptions CookieOptions(HttpRequest request, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        // Behind a proxy that ends TLS the request arrives over HTTP; the proxy's X-Forwarded-Proto still marks it (the header
        // can only make the cookie stricter).
        Secure = request.IsHttps || string.Equals(request.Headers["X-Forwarded-Proto"], "https", StringComparison.OrdinalIgnoreCase),
        SameSite = SameSiteMode.Strict,
        Path = OrleansDashboardExtensions.RoutePrefix,
        Expires = expires,
    };

    private static IResult Page(string? error, HttpStatusCode status)
    {
        var message = error is null ? "" : $"""<p class="error" role="alert">{WebUtility.HtmlEncode(error)}</p>""";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Sign in · Orleans dashboard · Provisioning</title>
              <link rel="stylesheet" href="/app.css">
            </head>
            <body>
              <main>
                <h1>Orleans dashboard</h1>
                <p>The dashboard shows every silo and grain of the cluster: sign in with an operator key (<code>Gateway:OperatorKeys</code>).</p>
                {message}
                <form method="post" action="{SignInPath}">
                  <label for="key">Operator key</label>
                  <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
                  <button type="submit">Sign in</button>
                </form>
              </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: (int)status);
    }
}
