using Microsoft.AspNetCore.Http.HttpResults;
using Provisioning.StripeEvents;

namespace Provisioning.Gateway.Api;

public static class StripeEventsApi
{
    /// <summary><c>GET /api/stripe/events/{eventId}</c>: a received Stripe event and what it led to. Mapped on the <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapStripeEventsApi(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/stripe/events").WithTags("Stripe events")
            .MapGet("/{eventId}", GetStripeEventAsync).WithName("GetStripeEvent");
        return api;
    }

    private static async Task<Results<Ok<StripeEventResponse>, ProblemHttpResult>> GetStripeEventAsync(
        string eventId, IGrainFactory grains)
    {
        var record = await grains.GetGrain<IStripeEventGrain>(eventId).GetAsync();
        return record is null
            ? ApiProblems.NotFound("Stripe event", eventId)
            : TypedResults.Ok(StripeEventResponse.From(record));
    }
}
