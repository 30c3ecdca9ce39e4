using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Provisioning.Grains;
using Provisioning.ServiceDefaults;

namespace Provisioning.Silo;

public static class SiloExtensions
{
    /// <summary>
    /// Makes this host an Orleans silo of the provisioning cluster. Settings come from <c>ConnectionStrings:Provisioning</c>
    /// and the <c>Orleans</c> section (see <see cref="SiloHostOptions"/>), validated at start. Optional sections
    /// <c>Orleans:Options:ClusterMembership</c> (ClusterMembershipOptions) and <c>Orleans:Options:Reminders</c> (ReminderOptions) tune
    /// failure detection and reminder periods. Grain calls carry the caller's trace (W3C <c>traceparent</c>) to the grains.
    /// </summary>
    public static IHostApplicationBuilder AddProvisioningSilo(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddLegacyAliases();
        builder.Configuration.AddLogLevelDefaults();
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<SiloHostOptions>, SiloHostOptionsValidation>();
        services.AddOptions<SiloHostOptions>().BindConfiguration(SiloHostOptions.Section).ValidateOnStart();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.UseOrleans(silo => silo.UseProvisioningPostgres().AddProvisioningGrains().AddActivityPropagation());

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
            o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, host.Value.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, host.Value.GatewayPort);
        });
        services.AddOptions<SiloOptions>().Configure<IOptions<SiloHostOptions>>((o, host) =>
            o.SiloName = host.Value.SiloName ?? $"{Environment.MachineName}-{host.Value.SiloPort}");
        services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Options:ClusterMembership"));
        services.Configure<ReminderOptions>(builder.Configuration.GetSection("Orleans:Options:Reminders"));
        return builder;
    }

    /// <summary>
    /// Puts membership, grain state and reminders in the PostgreSQL database of <c>ConnectionStrings:Provisioning</c>,
    /// through the Orleans ADO.NET providers and the tables that <c>db/</c> creates.
    /// </summary>
    public static ISiloBuilder UseProvisioningPostgres(this ISiloBuilder silo)
    {
        silo.Services.AddProvisioningDatabase();
        silo.UseAdoNetClustering(options => options.Configure<IOptions<DatabaseOptions>>((o, db) =>
        {
            o.Invariant = DatabaseExtensions.OrleansInvariant;
            o.ConnectionString = db.Value.ConnectionString;
        }));
        silo.AddAdoNetGrainStorage(ProvisioningStorage.Name, options => options.Configure<IOptions<DatabaseOptions>>((o, db) =>
        {
            o.Invariant = DatabaseExtensions.OrleansInvariant;
            o.ConnectionString = db.Value.ConnectionString;
        }));
        silo.UseAdoNetReminderService(options => options.Configure<IOptions<DatabaseOptions>>((o, db) =>
        {
            o.Invariant = DatabaseExtensions.OrleansInvariant;
            o.ConnectionString = db.Value.ConnectionString;
        }));
        return silo;
    }
}
