using System.Globalization;
using Npgsql;
using Provisioning.ServiceDefaults;

namespace Provisioning.Gateway.Api;

public static class GatewayDatabaseExtensions
{
    /// <summary><c>Gateway:StatementTimeout</c>: the longest a statement of the gateway may run. Default 5 s.</summary>
    public const string StatementTimeoutKey = "Gateway:StatementTimeout";

    public static readonly TimeSpan DefaultStatementTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Bounds every statement the gateway runs (PostgreSQL's <c>statement_timeout</c>, set on each of its connections): a read
    /// waiting on a lock or scanning too much is cancelled and answered 503, instead of holding a pooled connection that
    /// <c>/readyz</c> and the other requests need.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayStatementTimeout(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration[StatementTimeoutKey];
        var timeout = DefaultStatementTimeout;
        if (configured is not null && (!TimeSpan.TryParse(configured, CultureInfo.InvariantCulture, out timeout) || timeout <= TimeSpan.Zero))
        {
            throw new InvalidOperationException($"{StatementTimeoutKey} must be a positive time span (e.g. 00:00:05), not '{configured}'.");
        }

        builder.Services.PostConfigure<DatabaseOptions>(options => options.ConnectionString = WithStatementTimeout(options.ConnectionString, timeout));
        return builder;
    }

    private static string WithStatementTimeout(string connectionString, TimeSpan timeout)
    {
        try
        {
            var npgsql = new NpgsqlConnectionStringBuilder(connectionString);
            var setting = $"-c statement_timeout={(long)timeout.TotalMilliseconds}";
            npgsql.Options = string.IsNullOrWhiteSpace(npgsql.Options) ? setting : $"{npgsql.Options} {setting}";
            return npgsql.ConnectionString;
        }
        catch (ArgumentException)
        {
            return connectionString; // A malformed string is reported by the database settings' validation at start.
        }
    }
}
