using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Provisioning.Grains.Maintenance;

public static class MaintenanceExtensions
{
    /// <summary>Registers the background maintenance every silo runs (<see cref="MaintenanceOptions"/> from <c>Maintenance</c>).</summary>
    public static IServiceCollection AddDataMaintenance(this IServiceCollection services)
    {
        services.AddOptions<MaintenanceOptions>()
            .BindConfiguration(MaintenanceOptions.Section)
            .Validate(o => o.InboxRetention > TimeSpan.FromDays(30),
                "Maintenance:InboxRetention must be more than 30 days (Stripe lists and resends events for 30 days).")
            .Validate(o => o.JobRetention is null || o.JobRetention > TimeSpan.Zero,
                "Maintenance:JobRetention must be positive, or unset to keep every job.")
            .Validate(o => o.PurgeInterval > TimeSpan.Zero && o.CountsFoldInterval > TimeSpan.Zero,
                "Maintenance:PurgeInterval and Maintenance:CountsFoldInterval must be positive.")
            .Validate(o => o.PurgeBatch is >= 1 and <= 100_000, "Maintenance:PurgeBatch must be from 1 to 100000.")
            .ValidateOnStart();
        services.TryAddSingleton<DataRetention>();
        services.TryAddSingleton<DataMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<DataMaintenance>());
        return services;
    }
}
