using Microsoft.AspNetCore.Http.HttpResults;
using Provisioning.StripeEvents;

namespace Provisioning.Gateway.Api;

public static class StripeEventsApi
{
    /// <summary>
    /// <c>GET /api/stripe/events/{eventId}</c>: a received Stripe event and what it led to, from the inbox;
    /// <c>GET /api/stripe/inbox</c>: the events stored but not processed yet. Mapped on the <c>/api</c> group.
    /// </summary>
    public static IEndpointRouteBuilder MapStripeEventsApi(this IEndpointRouteBuilder api)
    {
        var stripe = api.MapGroup("/stripe").WithTags("Stripe events");
        stripe.MapGet("/events/{eventId}", GetStripeEventAsync).WithName("GetStripeEvent");
        stripe.MapGet("/inbox", GetInboxAsync).WithName("GetStripeInbox");
        return api;
    }

    private static async Task<Results<Ok<StripeEventResponse>, ProblemHttpResult>> GetStripeEventAsync(
        string eventId, IGrainFactory grains)
    {
        var record = await grains.GetGrain<IStripeInboxGrain>(0).GetAsync(eventId);
        return record is null
            ? ApiProblems.NotFound("Stripe event", eventId)
            : TypedResults.Ok(StripeEventResponse.From(record));
    }

    private static async Task<Ok<InboxBacklogResponse>> GetInboxAsync(IGrainFactory grains)
    {
        var backlog = await grains.GetGrain<IStripeInboxGrain>(0).GetBacklogAsync();
        return TypedResults.Ok(new InboxBacklogResponse(
            backlog.Events, Math.Round(backlog.OldestAge.TotalSeconds, 1), backlog.Bound, backlog.IsFull, backlog.MeasuredAt));
    }
}

/// <summary>
/// The body of <c>GET /api/stripe/inbox</c>: <c>backlog</c> events stored but not processed, the age of the oldest in
/// seconds, the bound past which deliveries are refused (<c>full</c>), and when a silo measured it.
/// </summary>
public sealed record InboxBacklogResponse(long Backlog, double OldestAgeSeconds, long Bound, bool Full, DateTimeOffset MeasuredAt);
