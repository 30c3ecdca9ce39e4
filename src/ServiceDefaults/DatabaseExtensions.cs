using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Provisioning.ServiceDefaults;

public static class DatabaseExtensions
{
    /// <summary>The ADO.NET invariant name the Orleans providers use to load Npgsql.</summary>
    public const string OrleansInvariant = "Npgsql";

    /// <summary>
    /// Binds and validates <see cref="DatabaseOptions"/> from <c>ConnectionStrings:Provisioning</c> (the host stops at start
    /// if it is missing or malformed), bounding its pools (<see cref="DatabaseOptions.DefaultMaxPoolSize"/>), and registers
    /// one pooled <see cref="NpgsqlDataSource"/> for it.
    /// </summary>
    public static IServiceCollection AddProvisioningDatabase(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidation>());
        services.AddOptions<DatabaseOptions>()
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = DatabaseOptions.WithPoolDefaults(configuration[DatabaseOptions.ConnectionStringKey] ?? ""))
            .ValidateOnStart();
        services.TryAddSingleton(sp =>
            NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        return services;
    }
}
