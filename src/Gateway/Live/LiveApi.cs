using Microsoft.AspNetCore.Http.HttpResults;

namespace Provisioning.Gateway.Live;

public static class LiveApi
{
    /// <summary>
    /// <c>GET /api/live</c>: server-sent events (<c>text/event-stream</c>), one <c>change</c> event per <see cref="LiveUpdate"/> from
    /// the gateway's shared <see cref="LiveFeed"/>. Mapped on the <c>/api</c> group. See docs/api.md.
    /// </summary>
    public static IEndpointRouteBuilder MapLiveApi(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/live").WithTags("Dashboard").MapGet("/", Listen).WithName("ListenLive");
        return api;
    }

    private static ServerSentEventsResult<LiveUpdate> Listen(LiveFeed feed, HttpContext context, IHostApplicationLifetime lifetime)
    {
        // The stream ends when the browser goes or the gateway stops, so a shutdown does not wait for open dashboards.
        var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.RegisterForDispose(ended);
        return TypedResults.ServerSentEvents(feed.ListenAsync(ended.Token), eventType: "change");
    }
}
