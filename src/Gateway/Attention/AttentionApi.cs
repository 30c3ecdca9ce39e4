using Microsoft.AspNetCore.Http.HttpResults;

namespace Provisioning.Gateway.Attention;

public static class AttentionApi
{
    /// <summary>
    /// <c>GET /api/attention</c>: failed jobs grouped by error, jobs waiting or running silent past the settings, dispatches held
    /// back by GitHub's rate limits, and a disabled Stripe endpoint. Mapped on the <c>/api</c> group. See docs/operators.md.
    /// </summary>
    public static IEndpointRouteBuilder MapAttentionApi(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/attention").WithTags("Dashboard").MapGet("/", GetAttentionAsync).WithName("GetAttention");
        return api;
    }

    private static async Task<Ok<AttentionResponse>> GetAttentionAsync(AttentionQuery query, CancellationToken cancellationToken) =>
        TypedResults.Ok(await query.ReadAsync(cancellationToken));
}
