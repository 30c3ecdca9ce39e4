using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Provisioning.ServiceDefaults;

public static class DatabaseExtensions
{
    /// <summary>
    /// Binds and validates <see cref="DatabaseOptions"/> (the host stops at start if the connection string is missing
    /// or malformed) and registers one pooled <see cref="NpgsqlDataSource"/> for it.
    /// </summary>
    public static IHostApplicationBuilder AddProvisioningDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidation>();
        builder.Services.AddOptions<DatabaseOptions>()
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration[DatabaseOptions.ConnectionStringKey] ?? "")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
            NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        return builder;
    }
}
