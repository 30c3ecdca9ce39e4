using Provisioning.ServiceDefaults;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.Operators;

/// <summary>
/// The <c>OperatorKey</c> authentication scheme: a key sent as <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>
/// that matches one of <c>Gateway:OperatorKeys</c> makes the request that operator's, named by the key's name. Under
/// <c>/dashboard</c>, where a browser cannot add a header, the session cookie that signing in there issues
/// (<see cref="DashboardSession"/>) does the same. A challenge answers 401 with <c>WWW-Authenticate: Bearer</c> and an
/// RFC 7807 problem; a browser asking for a dashboard page is sent to the sign-in page instead.
/// </summary>
public sealed class OperatorKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    OperatorKeyRing keys,
    OperatorKeyThrottle throttle,
    IProblemDetailsService problems,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string ApiKeyHeader = "X-Api-Key";

    private const string Realm = "provisioning";

    private const string ThrottledItem = "operator-key-throttled";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            return Task.FromResult(DashboardSession.Read(Request) is { } session && keys.NameOfSession(session, time.GetUtcNow()) is { } signedIn
                ? Success(signedIn)
                : AuthenticateResult.NoResult());
        }

        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!throttle.TryBegin(address, out var retryAfter))
        {
            Context.Items[ThrottledItem] = retryAfter;
            OperatorLog.KeyThrottled(Logger, address, (int)Math.Ceiling(retryAfter.TotalSeconds));
            return Task.FromResult(AuthenticateResult.Fail("Too many wrong operator keys from this address."));
        }

        if (keys.NameOf(presented) is not { } name)
        {
            OperatorLog.KeyRejected(Logger, Request.Method, LogText.Escape(Request.Path), address);
            return Task.FromResult(AuthenticateResult.Fail("The operator key is not valid."));
        }

        throttle.Succeeded(address);
        return Task.FromResult(Success(name));
    }

    private AuthenticateResult Success(string name)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, "operator")], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = PresentedKey(Request) is not null;
        if (!presented && DashboardSession.IsPageRequest(Request))
        {
            Response.Redirect(DashboardSession.SignInPath);
            return;
        }

        if (Context.Items[ThrottledItem] is TimeSpan retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many wrong operator keys",
                    Detail = $"This address sent too many wrong operator keys; no key from it is checked for {seconds} s.",
                    Extensions = { ["reason"] = "too-many-failures" },
                },
            });
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = presented
            ? $"Bearer realm=\"{Realm}\", error=\"invalid_token\""
            : $"Bearer realm=\"{Realm}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = presented ? "Operator key not valid" : "Operator key required",
                Detail = presented
                    ? "The key sent is not one of the configured operator keys."
                    : $"Send an operator key as Authorization: Bearer <key> or {ApiKeyHeader}: <key>.",
            },
        });
    }

    /// <summary>The key the request presents, or null: <c>Authorization: Bearer</c> first, then <c>X-Api-Key</c>.</summary>
    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization[7..].Trim() is { Length: > 0 } bearer)
        {
            return bearer;
        }

        return request.Headers[ApiKeyHeader].ToString().Trim() is { Length: > 0 } apiKey ? apiKey : null;
    }
}
