using Npgsql;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Faults;

/// <summary>SIGTERM (Ctrl-C, a container stop) makes a silo leave the cluster cleanly rather than be found dead later.</summary>
public sealed class SiloShutdownTests
{
    [Fact]
    public async Task Silo_Sigterm_ExitsZeroAndMarksItselfDeadInMembership()
    {
        await using var cluster = new ProcessCluster(await TestPostgres.CreateMigratedDatabaseAsync("shutdown"));
        var silo = await cluster.StartSiloAsync("leaving-silo");
        Assert.Equal(3, await StatusOfAsync(cluster, "leaving-silo"));

        var exitCode = await silo.TerminateAsync(TimeSpan.FromSeconds(45));

        Assert.Equal(0, exitCode);
        // SiloStatus.Dead = 6: written by the silo itself on its way out.
        Assert.Equal(6, await StatusOfAsync(cluster, "leaving-silo"));
    }

    private static async Task<int?> StatusOfAsync(ProcessCluster cluster, string siloName)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT status FROM orleansmembershiptable WHERE deploymentid = @cluster AND siloname = @name", connection);
        command.Parameters.AddWithValue("cluster", cluster.ClusterId);
        command.Parameters.AddWithValue("name", siloName);
        return (int?)await command.ExecuteScalarAsync();
    }
}
