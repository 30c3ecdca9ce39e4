using Microsoft.AspNetCore.Http.HttpResults;
using Provisioning.Gateway.Api;
using Provisioning.StripeEvents;

namespace Provisioning.Gateway.Stats;

public static class StatsApi
{
    /// <summary>
    /// <c>GET /api/stats?window=1h|24h|7d</c>: the pipeline's figures per interval over the window (default <c>1h</c>), read from
    /// the intervals kept as the jobs change, and the Stripe inbox's backlog. Mapped on the <c>/api</c> group. See docs/api.md.
    /// </summary>
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/stats").WithTags("Dashboard").MapGet("/", GetStatsAsync).WithName("GetStats");
        return api;
    }

    private static async Task<Results<Ok<StatsResponse>, ValidationProblem>> GetStatsAsync(
        string? window, StatsQuery query, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!StatsWindow.TryParse(window, out var parsed))
        {
            return ApiProblems.BadQuery(new Dictionary<string, string[]>
            {
                ["window"] = [$"'{window}' is not a window: use {string.Join(", ", StatsWindow.All.Select(w => w.Name))}."],
            });
        }

        var now = time.GetUtcNow();
        var start = parsed.Start(now);
        var (intervals, totals) = StatsFigures.Build(parsed, start, await query.ReadAsync(parsed, start, cancellationToken));
        var inbox = await grains.GetGrain<IStripeInboxGrain>(0).GetBacklogAsync();
        return TypedResults.Ok(new StatsResponse(
            parsed.Name, parsed.WidthSeconds, start, start.AddSeconds((long)parsed.Intervals * parsed.WidthSeconds),
            intervals, totals, new StatsInbox(inbox.Events, Math.Round(inbox.OldestAge.TotalSeconds, 1))));
    }
}
