using Npgsql;
using NpgsqlTypes;
using Provisioning.Gateway.Api;
using Provisioning.Jobs;

namespace Provisioning.Gateway.Operators;

/// <summary>The jobs a bulk retry matches, from the read model: a status, last changed at or after a time, oldest change first.</summary>
public sealed class RetryCandidatesQuery([FromKeyedServices(GatewayReadPool.Key)] NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<string>> FindAsync(
        JobStatus status, DateTimeOffset? since, int limit, CancellationToken cancellationToken, string? lastError = null)
    {
        await using var command = CreateCommand(status, since, limit, lastError);
        var jobIds = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobIds.Add(reader.GetString(0));
        }

        return jobIds;
    }

    /// <summary>The statement that finds them, served by <c>ix_jobs_status_updated</c> (its plan is held by a test at scale).</summary>
    public NpgsqlCommand CreateCommand(JobStatus status, DateTimeOffset? since, int limit, string? lastError = null)
    {
        var errorParameter = since is null ? "$3" : "$4";
        var command = dataSource.CreateCommand($"""
            SELECT job_id FROM jobs
            WHERE status = $1{(since is null ? "" : " AND updated_at >= $3")}{(lastError is null ? "" : $" AND COALESCE(last_error, '') = {errorParameter}")}
            ORDER BY updated_at, job_id
            LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JobNames.Of(status), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        if (since is { } at)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        if (lastError is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lastError, NpgsqlDbType = NpgsqlDbType.Text });
        }

        return command;
    }
}
