using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Provisioning.StripeSimulator.Events;

namespace Provisioning.StripeSimulator.Api;

/// <summary>
/// The part of Stripe's API the service reads: <c>GET /v1/events</c>, <c>GET /v1/events/{id}</c> and
/// <c>GET /v1/webhook_endpoints/{id}</c>, behind Stripe's key check (401 without the configured secret key) and the
/// queued faults. Answers are Stripe's objects; errors are Stripe's error objects.
/// </summary>
public static class StripeApi
{
    public static IEndpointRouteBuilder MapStripeApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").AddEndpointFilter(GuardAsync);
        v1.MapGet("/events", ListEvents);
        v1.MapGet("/events/{id}", GetEvent);
        v1.MapGet("/webhook_endpoints/{id}", GetWebhookEndpoint);
        return app;
    }

    private static IResult ListEvents(HttpRequest request, EventStore events)
    {
        var (query, param, problem) = EventListQuery.Read(request.Query);
        if (query is null)
        {
            return StripeErrors.InvalidRequest(param!, problem!);
        }

        if (query.Select(events.Snapshot()) is not { } page)
        {
            var cursor = query.StartingAfter ?? query.EndingBefore!;
            return StripeErrors.Missing("event", cursor, query.StartingAfter is null ? "ending_before" : "starting_after");
        }

        var data = new JsonArray([.. page.Page.Select(e => e.ToApiObject())]);
        return Results.Json(new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["has_more"] = page.HasMore,
            ["url"] = "/v1/events",
        });
    }

    private static IResult GetEvent(string id, EventStore events) =>
        events.Get(id) is { } stored ? Results.Json(stored.ToApiObject()) : StripeErrors.Missing("event", id, "id");

    private static IResult GetWebhookEndpoint(string id, EndpointState endpoint, IOptions<StripeSimulatorOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        if (id != settings.WebhookEndpointId)
        {
            return StripeErrors.Missing("webhook_endpoint", id, "id");
        }

        return Results.Json(new JsonObject
        {
            ["id"] = id,
            ["object"] = "webhook_endpoint",
            ["api_version"] = null,
            ["application"] = null,
            ["created"] = time.GetUtcNow().ToUnixTimeSeconds() - 86_400,
            ["description"] = "Stripe simulator endpoint",
            ["enabled_events"] = new JsonArray("checkout.session.completed", "checkout.session.async_payment_succeeded",
                "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
                "invoice.paid", "invoice.payment_failed"),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["status"] = endpoint.Status,
            ["url"] = endpoint.Url ?? settings.WebhookUrl ?? "",
        });
    }

    /// <summary>Checks the secret key as Stripe does, applies a queued fault, and logs the request with its answer.</summary>
    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var log = services.GetRequiredService<ApiRequestLog>();
        var clock = Stopwatch.StartNew();
        if (services.GetRequiredService<EndpointState>().ApiDelayMilliseconds is > 0 and var delay)
        {
            await Task.Delay(delay, http.RequestAborted);
        }

        var result = Check(http, services) ?? await next(context);
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        log.Add(new ApiRequest(services.GetRequiredService<TimeProvider>().GetUtcNow(), http.Request.Method,
            http.Request.Path + http.Request.QueryString, status));
        services.GetRequiredService<ILoggerFactory>().CreateLogger("Provisioning.StripeSimulator.Api")
            .LogInformation("{Method} {Path} -> {Status} in {Elapsed} ms", http.Request.Method, http.Request.Path, status, clock.ElapsedMilliseconds);
        return result;
    }

    private static IResult? Check(HttpContext http, IServiceProvider services)
    {
        var key = services.GetRequiredService<IOptions<StripeSimulatorOptions>>().Value.ApiKey;
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || authorization.Length <= "Bearer ".Length)
        {
            return StripeErrors.Error(StatusCodes.Status401Unauthorized, "invalid_request_error",
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }

        var given = authorization["Bearer ".Length..].Trim();
        if (given != key)
        {
            var shown = given.Length > 8 ? $"{given[..8]}{new string('*', 4)}{given[^4..]}" : "****";
            return StripeErrors.Error(StatusCodes.Status401Unauthorized, "invalid_request_error",
                $"Invalid API Key provided: {shown}", "api_key_invalid");
        }

        if (services.GetRequiredService<ApiFaults>().Take() is not { } fault)
        {
            return null;
        }

        if (fault.Status == StatusCodes.Status429TooManyRequests)
        {
            http.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return StripeErrors.Error(StatusCodes.Status429TooManyRequests, "invalid_request_error",
                "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.", "rate_limit");
        }

        return StripeErrors.Error(fault.Status, "api_error", "An unknown error occurred while processing your request (simulated fault).");
    }
}
