using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Provisioning.Grains;
using Provisioning.ServiceDefaults;

namespace Provisioning.Silo;

public static class SiloExtensions
{
    private const string Npgsql = "Npgsql";

    /// <summary>
    /// Makes this host an Orleans silo whose membership, grain state and reminders all live in PostgreSQL.
    /// Settings come from <c>ConnectionStrings:Provisioning</c> and the <c>Orleans</c> section, validated at start.
    /// Optional sections <c>Orleans:Membership</c> (ClusterMembershipOptions) and <c>Orleans:Reminders</c>
    /// (ReminderOptions) tune failure detection and reminder periods.
    /// </summary>
    public static IHostApplicationBuilder AddProvisioningSilo(this IHostApplicationBuilder builder)
    {
        builder.AddProvisioningDatabase();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IValidateOptions<SiloHostOptions>, SiloHostOptionsValidation>();
        builder.Services.AddOptions<SiloHostOptions>().BindConfiguration(SiloHostOptions.Section).ValidateOnStart();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.UseOrleans(silo =>
        {
            silo.UseAdoNetClustering(options => options.Configure<IOptions<DatabaseOptions>>((o, db) =>
            {
                o.Invariant = Npgsql;
                o.ConnectionString = db.Value.ConnectionString;
            }));
            silo.AddAdoNetGrainStorage(ProvisioningStorage.Name, options => options.Configure<IOptions<DatabaseOptions>>((o, db) =>
            {
                o.Invariant = Npgsql;
                o.ConnectionString = db.Value.ConnectionString;
            }));
            silo.UseAdoNetReminderService(options => options.Configure<IOptions<DatabaseOptions>>((o, db) =>
            {
                o.Invariant = Npgsql;
                o.ConnectionString = db.Value.ConnectionString;
            }));
        });

        builder.Services.AddOptions<ClusterOptions>().Configure<IOptions<SiloHostOptions>>((o, silo) =>
        {
            o.ClusterId = silo.Value.ClusterId;
            o.ServiceId = silo.Value.ServiceId;
        });
        builder.Services.AddOptions<EndpointOptions>().Configure<IOptions<SiloHostOptions>>((o, silo) =>
        {
            o.AdvertisedIPAddress = silo.Value.AdvertisedAddress;
            o.SiloPort = silo.Value.SiloPort;
            o.GatewayPort = silo.Value.GatewayPort;
            o.SiloListeningEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Any, silo.Value.SiloPort);
            o.GatewayListeningEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Any, silo.Value.GatewayPort);
        });
        builder.Services.AddOptions<Orleans.Configuration.SiloOptions>().Configure<IOptions<SiloHostOptions>>((o, silo) =>
            o.SiloName = silo.Value.SiloName ?? $"{Environment.MachineName}-{silo.Value.SiloPort}");
        builder.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
        builder.Services.Configure<ReminderOptions>(builder.Configuration.GetSection("Orleans:Reminders"));
        return builder;
    }
}
