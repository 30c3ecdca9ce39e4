using Npgsql;
using Provisioning.Gateway.Api;
using NpgsqlTypes;

namespace Provisioning.Gateway.Stats;

/// <summary>
/// Reads a window's figures from the intervals kept as the jobs change (<c>db/0010_job_stats.sql</c>): the folded intervals of
/// the window's width plus the few changes not folded yet, binned to the same width. It reads no job table, so its cost does
/// not grow with the number of jobs.
/// </summary>
public sealed class StatsQuery([FromKeyedServices(GatewayReadPool.Key)] NpgsqlDataSource dataSource)
{
    public const string Sql = """
        SELECT at, metric, bucket, sum(value)::bigint FROM (
            SELECT at, metric, bucket, value FROM job_stats WHERE width = $1 AND at >= $2
            UNION ALL
            SELECT date_bin(make_interval(secs => $1), minute, timestamptz '2000-01-01 00:00:00+00'), metric, bucket, delta
            FROM job_stats_changes WHERE minute >= $2) kept
        GROUP BY at, metric, bucket
        """;

    /// <summary>One figure of one interval: a metric's count, or one bucket of the durations' histogram.</summary>
    public readonly record struct Figure(DateTimeOffset At, string Metric, int Bucket, long Value);

    public async Task<IReadOnlyList<Figure>> ReadAsync(StatsWindow window, DateTimeOffset start, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(window, start);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var figures = new List<Figure>();
        while (await reader.ReadAsync(cancellationToken))
        {
            figures.Add(new(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3)));
        }

        return figures;
    }

    /// <summary>The statement, with its parameters (its plan is held by a test at scale).</summary>
    public NpgsqlCommand CreateCommand(StatsWindow window, DateTimeOffset start)
    {
        var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = window.WidthSeconds, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = start.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }
}
