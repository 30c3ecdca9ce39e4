using Microsoft.AspNetCore.Http.HttpResults;
using Provisioning.Subscriptions;

namespace Provisioning.Gateway.Api;

public static class SubscriptionsApi
{
    /// <summary><c>GET /api/subscriptions/{subscriptionId}</c>: a Stripe subscription as its newest events describe it. Mapped on the <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/subscriptions").WithTags("Subscriptions")
            .MapGet("/{subscriptionId}", GetSubscriptionAsync).WithName("GetSubscription");
        return api;
    }

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> GetSubscriptionAsync(
        string subscriptionId, IGrainFactory grains)
    {
        var subscription = await grains.GetGrain<ISubscriptionGrain>(subscriptionId).GetAsync();
        return subscription is null
            ? ApiProblems.NotFound("Subscription", subscriptionId)
            : TypedResults.Ok(SubscriptionResponse.From(subscription));
    }
}
