using Orleans.Dashboard;
using Provisioning.Gateway.Operators;

namespace Provisioning.Gateway.Observability;

public static class OrleansDashboardExtensions
{
    /// <summary>Where the gateway serves the Orleans dashboard.</summary>
    public const string RoutePrefix = "/dashboard";

    /// <summary>
    /// The Orleans dashboard's client side on the gateway's cluster client: it reads the statistics every silo collects
    /// (each silo calls <c>AddDashboard()</c> too).
    /// </summary>
    public static IHostApplicationBuilder AddOrleansDashboard(this IHostApplicationBuilder builder)
    {
        builder.UseOrleansClient(client => client.AddDashboard());
        return builder;
    }

    /// <summary>
    /// The Orleans dashboard at <see cref="RoutePrefix"/>, for operators only (<see cref="OperatorAccess.OperatorPolicy"/>):
    /// the dashboard has no authentication of its own, and it shows every grain and silo of the cluster.
    /// Its own endpoints are left out of the OpenAPI document.
    /// </summary>
    public static IEndpointRouteBuilder MapOrleansDashboardForOperators(this IEndpointRouteBuilder app)
    {
        app.MapOrleansDashboard(routePrefix: RoutePrefix)
            .RequireAuthorization(OperatorAccess.OperatorPolicy)
            .ExcludeFromDescription();
        return app;
    }
}
