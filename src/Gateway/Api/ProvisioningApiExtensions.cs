using System.Text.Json;
using System.Text.Json.Serialization;
using Provisioning.Gateway.Dashboard;
using Provisioning.Gateway.Jobs;
using Provisioning.Gateway.Operators;

namespace Provisioning.Gateway.Api;

public static class ProvisioningApiExtensions
{
    /// <summary>
    /// What the query API needs: JSON with camelCase names and enums as their lowercase names (for every endpoint of the
    /// gateway), and the read-model query the job listings use.
    /// </summary>
    public static IServiceCollection AddProvisioningApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        });
        services.AddSingleton<JobListQuery>();
        services.AddSingleton<JobCountsQuery>();
        return services;
    }

    /// <summary>
    /// The API under <c>/api</c>: jobs, a user's jobs, subscriptions and Stripe events (docs/api.md), readable as the
    /// <see cref="OperatorAccess.ReadPolicy"/> allows, and the operator actions on jobs (docs/operators.md).
    /// Answers 503 with <c>Retry-After</c> while the cluster or the database is unreachable.
    /// </summary>
    public static IEndpointRouteBuilder MapProvisioningApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<UnavailableFilter>().RequireAuthorization(OperatorAccess.ReadPolicy);
        api.MapJobsApi();
        api.MapOperatorApi();
        api.MapSubscriptionsApi();
        api.MapStripeEventsApi();
        api.MapStripeReconciliationApi();
        api.MapDashboardApi();
        return app;
    }
}
