using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Provisioning.Cli.Stripe;
using Provisioning.StripeSimulator.Api;
using Provisioning.StripeSimulator.Events;

namespace Provisioning.StripeSimulator.Control;

/// <summary>
/// The simulator's own API under <c>/_simulator</c>: create paid checkouts (delivered to the gateway unless dropped),
/// deliver held events late, set the endpoint's status and drop knob, queue API faults, read the events and requests.
/// </summary>
public static class ControlApi
{
    public static IEndpointRouteBuilder MapStripeSimulatorControl(this IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/_simulator");
        control.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }));
        control.MapPost("/checkouts", CreateCheckoutAsync);
        control.MapGet("/events", (EventStore events) => TypedResults.Ok(events.Snapshot().Select(ToAnswer)));
        control.MapDelete("/events", (EventStore events) => { events.Clear(); return TypedResults.NoContent(); });
        control.MapPost("/events/{id}/deliver", DeliverAsync);
        control.MapGet("/endpoint", GetEndpoint);
        control.MapPut("/endpoint", SetEndpoint);
        control.MapGet("/faults", (ApiFaults faults) => TypedResults.Ok(faults.Pending()));
        control.MapPost("/faults", AddFault);
        control.MapDelete("/faults", (ApiFaults faults) => { faults.Clear(); return TypedResults.NoContent(); });
        control.MapGet("/requests", (ApiRequestLog log) => TypedResults.Ok(log.Snapshot()));
        control.MapDelete("/requests", (ApiRequestLog log) => { log.Clear(); return TypedResults.NoContent(); });
        return app;
    }

    private static async Task<IResult> CreateCheckoutAsync(
        CheckoutRequest request, EventStore events, WebhookDelivery delivery, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.UserId) || string.IsNullOrWhiteSpace(request.AgentId))
        {
            return Problem("userId and agentId are required: they become the checkout session's metadata.");
        }

        if (request.EventId is { } id && (id.Length == 0 || id.Any(char.IsWhiteSpace)))
        {
            return Problem($"eventId '{id}' is empty or contains white space.");
        }

        var created = request.Created is { } unix ? DateTimeOffset.FromUnixTimeSeconds(unix) : time.GetUtcNow();
        var checkout = CheckoutEvent.Create(request.UserId, request.AgentId, request.Region, request.EventId, created);
        if (events.Add(JsonNode.Parse(checkout.Json)!.AsObject()) is not { } stored)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Event exists",
                detail: $"An event with id {checkout.EventId} is already held.");
        }

        DeliveryAttempt? attempt = request.Deliver == false ? null : await delivery.DeliverAsync(stored, false, cancellationToken);
        return TypedResults.Created($"/v1/events/{stored.Id}", new CheckoutAnswer(
            stored.Id, checkout.SessionId, stored.Created, stored.Delivered, attempt?.Status, attempt?.Outcome));
    }

    private static async Task<IResult> DeliverAsync(string id, EventStore events, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        if (events.Get(id) is not { } stored)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such event", detail: $"No event {id} is held.");
        }

        var attempt = await delivery.DeliverAsync(stored, true, cancellationToken);
        return TypedResults.Ok(attempt);
    }

    private static EndpointAnswer GetEndpoint(EndpointState endpoint, IOptions<StripeSimulatorOptions> options) =>
        new(options.Value.WebhookEndpointId, endpoint.Status, endpoint.DropDeliveries, endpoint.Url ?? options.Value.WebhookUrl,
            endpoint.ApiDelayMilliseconds);

    private static IResult SetEndpoint(EndpointRequest request, EndpointState endpoint, IOptions<StripeSimulatorOptions> options)
    {
        if (request.Status is { } status && status is not (EndpointState.Enabled or EndpointState.Disabled))
        {
            return Problem($"status '{status}' is not 'enabled' or 'disabled'.");
        }

        if (request.Url is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            return Problem($"url '{url}' is not an absolute http(s) URL.");
        }

        if (request.ApiDelayMilliseconds is < 0 or > 60_000)
        {
            return Problem("apiDelayMilliseconds must be 0 to 60000.");
        }

        endpoint.Status = request.Status ?? endpoint.Status;
        endpoint.Url = request.Url ?? endpoint.Url;
        endpoint.ApiDelayMilliseconds = request.ApiDelayMilliseconds ?? endpoint.ApiDelayMilliseconds;
        endpoint.DropDeliveries = request.DropDeliveries ?? endpoint.DropDeliveries;
        return TypedResults.Ok(GetEndpoint(endpoint, options));
    }

    private static IResult AddFault(FaultRequest request, ApiFaults faults)
    {
        if (request.Status is not (429 or 500 or 502 or 503))
        {
            return Problem("status must be 429, 500, 502 or 503.");
        }

        if (request.Times is < 0 || request.RetryAfterSeconds is < 0)
        {
            return Problem("times and retryAfterSeconds must not be negative.");
        }

        var fault = new ApiFault(request.Status.Value, request.Times ?? 1, request.RetryAfterSeconds ?? 1);
        faults.Add(fault);
        return TypedResults.Ok(fault);
    }

    private static EventAnswer ToAnswer(StoredEvent e) => new(e.Id, e.Type, e.Created, e.Delivered, [.. e.Deliveries]);

    private static IResult Problem(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);
}
