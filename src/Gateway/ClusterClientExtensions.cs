using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Provisioning.ClusterSecurity;
using Provisioning.ServiceDefaults;

namespace Provisioning.Gateway;

public static class ClusterClientExtensions
{
    /// <summary>
    /// Until the client has reached a silo it has no map of the cluster's grain types, and Orleans answers every grain
    /// reference with an <see cref="ArgumentException"/> ("Could not find an implementation for interface ..."). Every
    /// interface the gateway calls is implemented by the silos, so that exception means "no silo reached yet".
    /// </summary>
    public static bool IsNoSiloReachedYet(Exception exception) => exception is ArgumentException { Source: "Orleans.Core" };

    /// <summary>
    /// Connects this host to the Orleans cluster as a client, finding silos through the PostgreSQL membership table.
    /// <c>Orleans:ClusterId</c> and <c>Orleans:ServiceId</c> must match the silos' (default <c>provisioning</c> for both).
    /// The client keeps retrying until a silo answers, so the gateway may start before the silos. Grain calls carry the
    /// caller's trace (W3C <c>traceparent</c>) to the silos. The connections use mutual TLS as <c>Orleans:Tls</c> says
    /// (<see cref="ClusterTlsExtensions"/>).
    /// </summary>
    public static IHostApplicationBuilder AddProvisioningClusterClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProvisioningDatabase();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.UseOrleansClient(client =>
        {
            client.UseAdoNetClustering(options => options.Configure<IOptions<DatabaseOptions>>((o, db) =>
            {
                o.Invariant = DatabaseExtensions.OrleansInvariant;
                o.ConnectionString = db.Value.ConnectionString;
            }));
            client.UseConnectionRetryFilter<ClusterConnectionRetryFilter>();
            client.AddActivityPropagation();
            client.UseProvisioningTls();
        });
        builder.Services.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = builder.Configuration["Orleans:ClusterId"] ?? "provisioning";
            o.ServiceId = builder.Configuration["Orleans:ServiceId"] ?? "provisioning";
        });
        builder.Services.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));

        // HTTP starts while the client is still looking for a silo: /healthz answers and /readyz says "cluster" is not ready.
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        return builder;
    }
}
