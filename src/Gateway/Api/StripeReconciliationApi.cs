using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Provisioning.Gateway.Operators;
using Provisioning.StripeEvents;

namespace Provisioning.Gateway.Api;

public static class StripeReconciliationApi
{
    /// <summary>How far back Stripe's Events API lists events, and so the oldest <c>since</c> a pass accepts.</summary>
    public static readonly TimeSpan MaxLookBack = TimeSpan.FromDays(30);

    /// <summary>
    /// <c>GET /api/stripe/reconciliation</c>: whether reconciliation with Stripe's Events API is on, its checkpoint, the
    /// webhook endpoint's status and the latest passes; <c>POST /api/stripe/reconcile</c> (operators): runs a pass now.
    /// Mapped on the <c>/api</c> group. See docs/reconciliation.md.
    /// </summary>
    public static IEndpointRouteBuilder MapStripeReconciliationApi(this IEndpointRouteBuilder api)
    {
        var stripe = api.MapGroup("/stripe").WithTags("Stripe events");
        stripe.MapGet("/reconciliation", GetStatusAsync).WithName("GetStripeReconciliation");
        stripe.MapPost("/reconcile", ReconcileAsync).WithName("ReconcileStripeEvents").RequireAuthorization(OperatorAccess.OperatorPolicy);
        return api;
    }

    private static async Task<Ok<ReconciliationStatusResponse>> GetStatusAsync(IGrainFactory grains) =>
        TypedResults.Ok(ReconciliationStatusResponse.From(await grains.GetGrain<IStripeReconcilerGrain>(0).GetStatusAsync()));

    private static async Task<Results<Ok<ReconciliationPassResponse>, ValidationProblem, ProblemHttpResult>> ReconcileAsync(
        [FromBody] ReconcileRequest? request, IGrainFactory grains, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (request?.Since is { } since && (since > now || since < now - MaxLookBack))
        {
            var errors = new Dictionary<string, string[]>
            {
                ["since"] = [since > now
                    ? $"{since:o} is in the future."
                    : $"{since:o} is more than 30 days back: Stripe's Events API lists only the last 30 days."],
            };
            return TypedResults.ValidationProblem(errors, title: "Invalid request body", detail: $"since: {errors["since"][0]}");
        }

        var reconciler = grains.GetGrain<IStripeReconcilerGrain>(0);
        var status = await reconciler.GetStatusAsync();
        if (!status.Enabled)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Reconciliation is off",
                detail: $"Stripe reconciliation is off: {status.OffReason}. Nothing was listed.",
                extensions: new Dictionary<string, object?> { ["reason"] = "reconciliation-off" });
        }

        return TypedResults.Ok(ReconciliationPassResponse.From(await reconciler.ReconcileAsync(request?.Since)));
    }
}

/// <summary>The body of <c>POST /api/stripe/reconcile</c>: <c>since</c>, list events created from then (at most 30 days back).</summary>
public sealed record ReconcileRequest(DateTimeOffset? Since);

/// <summary>
/// A reconciliation pass: what Stripe listed (handled types, delivery not succeeded), how many the inbox already held and
/// how many the pass recovered; <c>error</c> is null when the pass completed.
/// </summary>
public sealed record ReconciliationPassResponse(
    long PassId, string Trigger, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset Since, DateTimeOffset Until,
    int Listed, int AlreadyPresent, int Recovered, bool Resumed, string? EndpointStatus, string? Error, double? RetryAfterSeconds)
{
    public static ReconciliationPassResponse From(ReconciliationPassRecord p) => new(
        p.PassId, p.Trigger, p.StartedAt, p.FinishedAt, p.Since, p.Until, p.Listed, p.AlreadyPresent, p.Recovered, p.Resumed,
        p.EndpointStatus, p.Error, p.RetryAfter?.TotalSeconds);
}

/// <summary>The body of <c>GET /api/stripe/reconciliation</c>.</summary>
public sealed record ReconciliationStatusResponse(
    bool Enabled, string? OffReason, double IntervalSeconds, DateTimeOffset? Checkpoint, string? WebhookEndpointId,
    string? EndpointStatus, IReadOnlyList<ReconciliationPassResponse> Passes)
{
    public static ReconciliationStatusResponse From(ReconciliationStatus s) => new(
        s.Enabled, s.OffReason, s.Interval.TotalSeconds, s.Checkpoint, s.WebhookEndpointId, s.EndpointStatus,
        [.. s.Passes.Select(ReconciliationPassResponse.From)]);
}
