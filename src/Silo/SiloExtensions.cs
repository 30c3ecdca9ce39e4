using Provisioning.Grains.Batching;
using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Provisioning.ClusterSecurity;
using Provisioning.Grains;
using Orleans.Runtime.Hosting;
using Provisioning.ServiceDefaults;
using Provisioning.Silo.Storage;

namespace Provisioning.Silo;

public static class SiloExtensions
{
    /// <summary>
    /// Makes this host an Orleans silo of the provisioning cluster. Settings come from <c>ConnectionStrings:Provisioning</c>
    /// and the <c>Orleans</c> section (see <see cref="SiloHostOptions"/>), validated at start. Optional sections
    /// <c>Orleans:Options:ClusterMembership</c> (ClusterMembershipOptions), <c>Orleans:Options:Reminders</c> (ReminderOptions) and
    /// <c>Orleans:Options:GrainCollection</c> (GrainCollectionOptions) tune failure detection, reminder periods and how long
    /// idle grains stay in memory. The Orleans ports listen on the advertised address only, protected as <c>Orleans:Tls</c>
    /// says (<see cref="ClusterTlsExtensions"/>). Grain calls carry the caller's trace (W3C <c>traceparent</c>) to the grains.
    /// </summary>
    public static IHostApplicationBuilder AddProvisioningSilo(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddLegacyAliases();
        builder.Configuration.AddLogLevelDefaults();
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<SiloHostOptions>, SiloHostOptionsValidation>();
        services.AddOptions<SiloHostOptions>().BindConfiguration(SiloHostOptions.Section).ValidateOnStart();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.UseOrleans(silo => silo.UseProvisioningPostgres().AddProvisioningGrains().AddActivityPropagation().UseProvisioningTls());

        services.AddOptions<ClusterOptions>().Configure<IOptions<SiloHostOptions>>((o, host) =>
        {
            o.ClusterId = host.Value.ClusterId;
            o.ServiceId = host.Value.ServiceId;
        });
        services.AddOptions<EndpointOptions>().Configure<IOptions<SiloHostOptions>>((o, host) =>
        {
            o.AdvertisedIPAddress = host.Value.AdvertisedAddress;
            o.SiloPort = host.Value.SiloPort;
            o.GatewayPort = host.Value.GatewayPort;
            // Only the advertised address: Orleans does not authenticate callers by itself, so no other interface gets the ports.
            o.SiloListeningEndpoint = new IPEndPoint(host.Value.AdvertisedAddress, host.Value.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(host.Value.AdvertisedAddress, host.Value.GatewayPort);
        });
        services.AddOptions<SiloOptions>().Configure<IOptions<SiloHostOptions>>((o, host) =>
            o.SiloName = host.Value.SiloName ?? $"{Environment.MachineName}-{host.Value.SiloPort}");
        services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Options:ClusterMembership"));
        // A reminder written through a silo that no longer owns its range reaches the owner at the owner's next table
        // read: one minute instead of Orleans' five bounds how long such a job waits for its watchdog after a failover.
        services.Configure<ReminderOptions>(o => o.RefreshReminderListPeriod = TimeSpan.FromMinutes(1));
        services.Configure<ReminderOptions>(builder.Configuration.GetSection("Orleans:Options:Reminders"));
        services.Configure<GrainCollectionOptions>(builder.Configuration.GetSection("Orleans:Options:GrainCollection"));
        return builder;
    }

    /// <summary>
    /// Puts membership, grain state and reminders in the PostgreSQL database of <c>ConnectionStrings:Provisioning</c>, in the
    /// tables that <c>db/</c> creates: membership through the Orleans ADO.NET provider; grain state through
    /// <see cref="PostgresGrainStorage"/> and reminders through the ADO.NET reminder table wrapped in
    /// <see cref="SharedRoundTripReminderTable"/>, both in the ADO.NET providers' tables and formats, with the statements of
    /// concurrent grains sharing round trips and commits (<see cref="SharedRoundTrips"/>).
    /// </summary>
    public static ISiloBuilder UseProvisioningPostgres(this ISiloBuilder silo)
    {
        silo.Services.AddProvisioningDatabase();
        silo.UseAdoNetClustering(options => options.Configure<IOptions<DatabaseOptions>>((o, db) =>
        {
            o.Invariant = DatabaseExtensions.OrleansInvariant;
            o.ConnectionString = db.Value.ConnectionString;
        }));
        silo.Services.AddSingleton<SharedRoundTrips>();
        silo.Services.AddGrainStorage(ProvisioningStorage.Name, (services, name) =>
            ActivatorUtilities.CreateInstance<PostgresGrainStorage>(
                services, name, services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        silo.UseAdoNetReminderService(options => options.Configure<IOptions<DatabaseOptions>>((o, db) =>
        {
            o.Invariant = DatabaseExtensions.OrleansInvariant;
            o.ConnectionString = db.Value.ConnectionString;
        }));
        silo.Services.SendReminderChangesThroughSharedRoundTrips();
        return silo;
    }

    /// <summary>Wraps the registered reminder table (the ADO.NET one) in <see cref="SharedRoundTripReminderTable"/>.</summary>
    private static void SendReminderChangesThroughSharedRoundTrips(this IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IReminderTable) && !d.IsKeyedService);
        services.Remove(registered);
        services.AddSingleton<IReminderTable>(sp =>
        {
            var inner = registered.ImplementationInstance as IReminderTable
                ?? registered.ImplementationFactory?.Invoke(sp) as IReminderTable
                ?? (IReminderTable)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!);
            return ActivatorUtilities.CreateInstance<SharedRoundTripReminderTable>(sp, inner);
        });
    }
}
