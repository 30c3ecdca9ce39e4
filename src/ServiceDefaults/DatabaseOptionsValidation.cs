using Microsoft.Extensions.Options;
using Npgsql;

namespace Provisioning.ServiceDefaults;

internal sealed class DatabaseOptionsValidation : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{DatabaseOptions.ConnectionStringKey} is not set (environment variable ConnectionStrings__Provisioning): the PostgreSQL connection string is required.");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{DatabaseOptions.ConnectionStringKey} is not a valid PostgreSQL connection string: {ex.Message}");
        }
    }
}
