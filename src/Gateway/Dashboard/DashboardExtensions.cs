using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.Gateway.Attention;
using Provisioning.Gateway.Live;
using Provisioning.Gateway.Stats;

namespace Provisioning.Gateway.Dashboard;

public static class DashboardExtensions
{
    /// <summary>
    /// What the dashboard's pages read besides the job API: the figures (<see cref="StatsQuery"/>), what needs attention
    /// (<see cref="AttentionQuery"/>) and the live updates (<see cref="LiveFeed"/>), with their settings (<c>Gateway:Dashboard</c>,
    /// validated at start).
    /// </summary>
    public static IHostApplicationBuilder AddDashboardData(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidation>());
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<StatsQuery>();
        builder.Services.AddSingleton<AttentionQuery>();
        builder.Services.AddSingleton<LiveFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveFeed>());
        return builder;
    }

    /// <summary><c>GET /api/stats</c>, <c>GET /api/attention</c> and <c>GET /api/live</c>, mapped on the <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder api)
    {
        api.MapStatsApi();
        api.MapAttentionApi();
        api.MapLiveApi();
        return api;
    }
}
