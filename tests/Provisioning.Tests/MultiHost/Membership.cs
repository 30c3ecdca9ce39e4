using System.Diagnostics;
using Npgsql;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.MultiHost;

/// <summary>What the cluster's membership table (PostgreSQL) says about the silo on a host.</summary>
public static class Membership
{
    private const int Active = 3;
    private const int Dead = 6;

    /// <summary>The generation of the active silo on <paramref name="host"/> (a new process there has a new one).</summary>
    public static async Task<int> ActiveGenerationAsync(TestSystem system, NetworkHost host)
    {
        int? generation = null;
        await Eventually.UntilAsync(async () => (generation = await GenerationAsync(system, host, Active)) is not null,
            TimeSpan.FromSeconds(30), $"an active silo on {host.Name} in the membership table");
        return generation!.Value;
    }

    /// <summary>Waits until the cluster has declared that silo dead; the time it took from <paramref name="since"/>.</summary>
    public static async Task<TimeSpan> UntilDeadAsync(TestSystem system, NetworkHost host, int generation, Stopwatch since, TimeSpan bound)
    {
        await Eventually.UntilAsync(async () => await StatusAsync(system, host, generation) == Dead, bound,
            $"the silo on {host.Name} (generation {generation}) declared dead in the membership table");
        return since.Elapsed;
    }

    /// <summary>The silo holding the most job activations: the one whose loss moves the most work; with the counts per host.</summary>
    public static async Task<(HostProcess Silo, string Counts)> BusiestSiloAsync(TestSystem system)
    {
        var client = await system.ClientAsync();
        var activations = await client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var jobs = activations.Where(a => a.GrainType.Contains("provisioningjob", StringComparison.OrdinalIgnoreCase))
            .GroupBy(a => a.SiloAddress.Endpoint.Address.ToString())
            .ToDictionary(g => g.Key, g => g.Count());
        var busiest = system.Silos.MaxBy(s => jobs.GetValueOrDefault(system.HostOf(s).Address))!;
        return (busiest, string.Join(", ", system.Silos.Select(s => $"{s.Name}: {jobs.GetValueOrDefault(system.HostOf(s).Address)}")));
    }

    private static Task<int?> GenerationAsync(TestSystem system, NetworkHost host, int status) => ScalarAsync(system,
        "SELECT max(generation) FROM orleansmembershiptable WHERE deploymentid = @cluster AND address = @address AND status = @value",
        host, status);

    private static Task<int?> StatusAsync(TestSystem system, NetworkHost host, int generation) => ScalarAsync(system,
        "SELECT status FROM orleansmembershiptable WHERE deploymentid = @cluster AND address = @address AND generation = @value",
        host, generation);

    private static async Task<int?> ScalarAsync(TestSystem system, string sql, NetworkHost host, int value)
    {
        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("cluster", system.Cluster.ClusterId);
        command.Parameters.AddWithValue("address", host.Address);
        command.Parameters.AddWithValue("value", value);
        return await command.ExecuteScalarAsync() is int result ? result : null;
    }
}
