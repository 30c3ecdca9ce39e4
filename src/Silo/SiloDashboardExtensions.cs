using Orleans.Dashboard;

namespace Provisioning.Silo;

public static class SiloDashboardExtensions
{
    /// <summary>
    /// How often, by default, a silo samples its Orleans counters for the dashboard. Each sample observes every Orleans
    /// gauge, some of which walk the silo's grain directory cache: at Orleans' own default (every second) that took
    /// about 3% of a busy silo's CPU.
    /// </summary>
    public const int DefaultCounterUpdateIntervalMs = 10_000;

    /// <summary>
    /// Collects this silo's grain and silo statistics for the Orleans dashboard, which the gateway serves at
    /// <c>/dashboard</c> to operators. The silo serves no dashboard pages itself. <c>Orleans:Dashboard</c> binds
    /// <see cref="DashboardOptions"/>, e.g. <c>CounterUpdateIntervalMs</c> (default <see cref="DefaultCounterUpdateIntervalMs"/>).
    /// </summary>
    public static IHostApplicationBuilder AddSiloDashboard(this IHostApplicationBuilder builder)
    {
        builder.UseOrleans(silo => silo.AddDashboard(options => options.CounterUpdateIntervalMs = DefaultCounterUpdateIntervalMs));
        builder.Services.Configure<DashboardOptions>(builder.Configuration.GetSection("Orleans:Dashboard"));
        return builder;
    }
}
