using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Provisioning.Grains.Dispatch;
using Provisioning.Grains.Jobs;
using Provisioning.Grains.Maintenance;
using Provisioning.Grains.ReadModel;
using Provisioning.Grains.StripeInbox;
using Provisioning.Grains.StripeReconciliation;

namespace Provisioning.Grains;

public static class GrainsExtensions
{
    /// <summary>Registers what the grains of this product need besides Orleans itself, with their settings.</summary>
    public static ISiloBuilder AddProvisioningGrains(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<JobTelemetry>();
        silo.Services.AddJobReadModel();
        silo.Services.AddWorkflowDispatch();
        silo.Services.AddStripeInbox();
        silo.Services.AddStripeReconciliation();
        silo.Services.AddDataMaintenance();
        silo.Services.AddOptions<JobsOptions>()
            .BindConfiguration(JobsOptions.Section)
            .PostConfigure(o =>
            {
                if (o.Regions.Length == 0)
                {
                    o.Regions = JobsOptions.DefaultRegions;
                }
            })
            .Validate(o => o.Regions.Contains(o.DefaultRegion, StringComparer.Ordinal),
                "Jobs:DefaultRegion must be one of Jobs:Regions.")
            .Validate(o => o.MaxAttempts >= 1, "Jobs:MaxAttempts must be at least 1.")
            .Validate(o => o.ClaimTimeout > TimeSpan.Zero && o.HeartbeatTimeout > TimeSpan.Zero,
                "Jobs:ClaimTimeout and Jobs:HeartbeatTimeout must be positive.")
            .ValidateOnStart();
        return silo;
    }
}
