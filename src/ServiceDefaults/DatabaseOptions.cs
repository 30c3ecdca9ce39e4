namespace Provisioning.ServiceDefaults;

/// <summary>The PostgreSQL database that holds membership, grain state, reminders and the read model.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The configuration key of the connection string (environment variable <c>ConnectionStrings__Provisioning</c>).</summary>
    public const string ConnectionStringKey = "ConnectionStrings:Provisioning";

    /// <summary>An Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=5432;Database=provisioning;Username=postgres</c>. Required.</summary>
    public string ConnectionString { get; set; } = "";
}
