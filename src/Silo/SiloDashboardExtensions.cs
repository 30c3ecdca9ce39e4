using Orleans.Dashboard;

namespace Provisioning.Silo;

public static class SiloDashboardExtensions
{
    /// <summary>
    /// Collects this silo's grain and silo statistics for the Orleans dashboard, which the gateway serves at
    /// <c>/dashboard</c> to operators. The silo serves no dashboard pages itself.
    /// </summary>
    public static IHostApplicationBuilder AddSiloDashboard(this IHostApplicationBuilder builder)
    {
        builder.UseOrleans(silo => silo.AddDashboard());
        return builder;
    }
}
