using Npgsql;
using Provisioning.Gateway.Api;
using Provisioning.Jobs;

namespace Provisioning.Gateway.Jobs;

/// <summary>
/// How many jobs the read model holds in each status: every status name, zero when none is in it. Read from the counts
/// kept as the jobs change (<c>db/0008_job_counts.sql</c>): the folded totals plus the few changes not folded yet, so the
/// cost does not grow with the number of jobs.
/// </summary>
public sealed class JobCountsQuery([FromKeyedServices(GatewayReadPool.Key)] NpgsqlDataSource dataSource)
{
    public const string Sql = """
        SELECT status, sum(jobs)::int FROM (
            SELECT status, jobs FROM job_counts
            UNION ALL
            SELECT status, delta FROM job_count_changes) counted
        GROUP BY status
        """;

    public async Task<IReadOnlyDictionary<string, int>> CountAsync(CancellationToken cancellationToken)
    {
        var counts = JobNames.All.ToDictionary(name => name, _ => 0);
        await using var command = dataSource.CreateCommand(Sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            Add(counts, reader);
        }

        return counts;
    }

    /// <summary>The same counts, read synchronously within <paramref name="timeout"/> (for a metrics collection, which cannot await).</summary>
    public IReadOnlyDictionary<string, int> Count(TimeSpan timeout)
    {
        var counts = JobNames.All.ToDictionary(name => name, _ => 0);
        using var command = dataSource.CreateCommand(Sql);
        command.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            Add(counts, reader);
        }

        return counts;
    }

    private static void Add(Dictionary<string, int> counts, NpgsqlDataReader reader)
    {
        if (JobNames.TryParse(reader.GetString(0), out var status))
        {
            counts[JobNames.Of(status.Value)] = reader.GetInt32(1);
        }
    }
}
