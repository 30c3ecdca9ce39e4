namespace Provisioning.ServiceDefaults;

/// <summary>The PostgreSQL database that holds membership, grain state, reminders and the read model.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The configuration key of the connection string (environment variable <c>ConnectionStrings__Provisioning</c>).</summary>
    public const string ConnectionStringKey = "ConnectionStrings:Provisioning";

    /// <summary>An Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=5432;Database=provisioning;Username=postgres</c>. Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The pool size of each connection pool a process opens (Orleans' providers share one, the read model has one) when
    /// the connection string names none: 16. Two silos and a gateway then stay within PostgreSQL's default 100
    /// connections, and a burst waits for a pooled connection instead of opening more than the server takes.
    /// </summary>
    public const int DefaultMaxPoolSize = 16;

    /// <summary>
    /// How many statements each connection keeps prepared when the connection string names no <c>Max Auto Prepare</c>:
    /// 32. The services run the same few statements (grain state, reminders, the read model) all the time; prepared, PostgreSQL
    /// no longer parses and plans each one again.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 32;

    /// <summary>
    /// <see cref="ConnectionString"/> with <c>Maximum Pool Size</c> and <c>Max Auto Prepare</c> set to
    /// <see cref="DefaultMaxPoolSize"/> and <see cref="DefaultMaxAutoPrepare"/>, and <c>No Reset On Close</c> on, unless it
    /// sets them.
    /// </summary>
    public static string WithPoolDefaults(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString; // Reported as missing by the validation at start.
        }

        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            // The keys the string itself sets (Npgsql's builder answers for every key it knows).
            var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
            var setsMaximum = Sets(given, "MaximumPoolSize") || Sets(given, "MaxPoolSize");
            if (!setsMaximum)
            {
                builder.MaxPoolSize = Math.Max(DefaultMaxPoolSize, builder.MinPoolSize);
            }

            if (!Sets(given, "MaxAutoPrepare"))
            {
                builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            }

            if (!Sets(given, "NoResetOnClose"))
            {
                // The services keep no session state (no SET, LISTEN, temporary table or session lock), so a connection going
                // back to the pool needs no reset. With prepared statements Npgsql's reset is seven statements (DISCARD ALL
                // would drop the prepared ones), sent with the next use: about seventy per webhook.
                builder.NoResetOnClose = true;
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return connectionString; // Reported by the validation at start.
        }
    }

    private static bool Sets(System.Data.Common.DbConnectionStringBuilder given, string key) =>
        given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals(key, StringComparison.OrdinalIgnoreCase));
}
