using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioning.ServiceDefaults;

namespace Provisioning.Gateway.Api;

/// <summary>
/// The connections the gateway's listings and counts read through: a pool of their own, at most <c>Gateway:ReadPoolSize</c>
/// connections, apart from the pool of <c>/readyz</c> and the webhooks. However many slow reads arrive at once, they wait
/// for one of these few connections; the readiness check and the GitHub events path keep theirs.
/// </summary>
public static class GatewayReadPool
{
    /// <summary>The service key of the read pool's <see cref="NpgsqlDataSource"/> (<c>[FromKeyedServices(GatewayReadPool.Key)]</c>).</summary>
    public const string Key = "gateway-reads";

    /// <summary><c>Gateway:ReadPoolSize</c>: the most connections the reads hold at once. Default 4.</summary>
    public const string SizeKey = "Gateway:ReadPoolSize";

    public const int DefaultSize = 4;

    public static IHostApplicationBuilder AddGatewayReadPool(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration[SizeKey];
        var size = DefaultSize;
        if (configured is not null && (!int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 100))
        {
            throw new InvalidOperationException($"{SizeKey} must be a whole number from 1 to 100, not '{configured}'.");
        }

        builder.Services.AddKeyedSingleton(Key, (services, _) =>
            NpgsqlDataSource.Create(WithPoolSize(services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString, size)));
        return builder;
    }

    /// <summary>The gateway's connection string (its statement timeout included) with its own pool size, and a pool of its own.</summary>
    private static string WithPoolSize(string connectionString, int size)
    {
        var reads = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = size, MinPoolSize = 0 };
        if (string.IsNullOrEmpty(reads.ApplicationName))
        {
            reads.ApplicationName = "provisioning-gateway-reads"; // Tells these connections apart in pg_stat_activity.
        }

        return reads.ConnectionString;
    }
}
