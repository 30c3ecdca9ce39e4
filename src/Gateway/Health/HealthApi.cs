using Microsoft.AspNetCore.Http.HttpResults;

namespace Provisioning.Gateway.Health;

public static class HealthApi
{
    /// <summary><c>GET /healthz</c>: the process is up. <c>GET /readyz</c>: the cluster and the database both answer.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", GetHealth).WithName("Health").WithTags("Health");
        app.MapGet("/readyz", GetReadinessAsync).WithName("Readiness").WithTags("Health");
        return app;
    }

    public static IServiceCollection AddHealthApi(this IServiceCollection services) =>
        services.AddSingleton<ReadinessProbe>();

    private static Ok<HealthReport> GetHealth() => TypedResults.Ok(new HealthReport("up"));

    private static async Task<Results<Ok<ReadinessReport>, JsonHttpResult<ReadinessReport>>> GetReadinessAsync(
        ReadinessProbe probe, CancellationToken cancellationToken)
    {
        var report = await probe.CheckAsync(cancellationToken);
        return report.Status == "ready"
            ? TypedResults.Ok(report)
            : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public sealed record HealthReport(string Status);
}
