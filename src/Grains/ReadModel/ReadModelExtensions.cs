using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Provisioning.Grains.ReadModel;

public static class ReadModelExtensions
{
    /// <summary>
    /// Registers the <see cref="IJobReadModel"/>: <see cref="PostgresJobReadModel"/>, whose concurrent projections share
    /// round trips through <see cref="BatchingJobReadModel"/>. It writes through the <c>NpgsqlDataSource</c> in the
    /// container (registered by <c>AddProvisioningDatabase</c>), into the tables of <c>db/0005_read_model.sql</c>.
    /// </summary>
    public static IServiceCollection AddJobReadModel(this IServiceCollection services)
    {
        services.TryAddSingleton<PostgresJobReadModel>();
        services.TryAddSingleton<IJobReadModel, BatchingJobReadModel>();
        return services;
    }
}
