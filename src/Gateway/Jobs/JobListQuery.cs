using System.Text;
using Npgsql;
using Provisioning.Jobs;
using NpgsqlTypes;
using Provisioning.Gateway.Api;

namespace Provisioning.Gateway.Jobs;

/// <summary>
/// Lists jobs from the read model (<c>jobs</c>, <c>db/0005_read_model.sql</c>) newest first, by keyset pagination on
/// <c>(created_at, job_id)</c>, which the indexes of that table serve for all jobs, by status and by user; the search text
/// through a trigram index. The columns of
/// <c>db/0006_callbacks.sql</c> (output, last heartbeat, run attempt) are read too.
/// </summary>
public sealed class JobListQuery([FromKeyedServices(GatewayReadPool.Key)] NpgsqlDataSource dataSource)
{
    private const string Select = """
        SELECT job_id, stripe_event_id, user_id, agent_id, region, status, attempt, run_id, run_url,
               created_at, updated_at, last_error, output::text, last_heartbeat_at, run_attempt
        FROM jobs
        """;

    public async Task<JobPage> ListAsync(JobListRequest request, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(request);
        var items = new List<JobSummary>(request.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(Read(reader));
            }
        }

        if (items.Count <= request.Limit)
        {
            return new JobPage(items, null);
        }

        items.RemoveAt(items.Count - 1);
        var last = items[^1];
        return new JobPage(items, new JobCursor(last.CreatedAt, last.JobId).Encode());
    }

    /// <summary>The statement that lists one page (its plan is held by a test at scale).</summary>
    public NpgsqlCommand CreateCommand(JobListRequest request)
    {
        var command = dataSource.CreateCommand();
        var sql = new StringBuilder(Select);
        var conditions = new List<string>();
        if (request.Status is { } status)
        {
            conditions.Add($"status = {Add(command, JobNames.Of(status), NpgsqlDbType.Text)}");
        }

        if (request.UserId is { } userId)
        {
            conditions.Add($"user_id = {Add(command, userId, NpgsqlDbType.Text)}");
        }

        if (request.Search is { } search)
        {
            // The LIKE over the three ids joined finds candidates through the trigram index (db/0008_job_counts.sql);
            // the strpos test keeps the exact meaning (a match that spans two ids is not one).
            var pattern = Add(command, "%" + EscapeLike(search) + "%", NpgsqlDbType.Text);
            var text = Add(command, search, NpgsqlDbType.Text);
            conditions.Add($"(job_id || ' ' || user_id || ' ' || agent_id) LIKE {pattern}");
            conditions.Add($"(strpos(job_id, {text}) > 0 OR strpos(user_id, {text}) > 0 OR strpos(agent_id, {text}) > 0)");
        }

        if (request.After is { } after)
        {
            conditions.Add(
                $"(created_at, job_id) < ({Add(command, after.CreatedAt, NpgsqlDbType.TimestampTz)}, {Add(command, after.JobId, NpgsqlDbType.Text)})");
        }

        if (conditions.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", conditions);
        }

        // One row more than the page shows whether another page follows.
        sql.Append($" ORDER BY created_at DESC, job_id DESC LIMIT {Add(command, request.Limit + 1, NpgsqlDbType.Integer)}");
        command.CommandText = sql.ToString();
        return command;
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>Adds a positional parameter and returns its placeholder (<c>$n</c>); values never enter the SQL text.</summary>
    private static string Add<T>(NpgsqlCommand command, T value, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value, NpgsqlDbType = type });
        return $"${command.Parameters.Count}";
    }

    private static JobSummary Read(NpgsqlDataReader reader)
    {
        var statusName = reader.GetString(5);
        if (!JobNames.TryParse(statusName, out var status))
        {
            throw new InvalidOperationException($"The read model holds an unknown job status '{statusName}' for job '{reader.GetString(0)}'.");
        }

        return new JobSummary(
            JobId: reader.GetString(0),
            StripeEventId: reader.GetString(1),
            UserId: reader.GetString(2),
            AgentId: reader.GetString(3),
            Region: reader.GetString(4),
            Status: status.Value,
            Attempt: reader.GetInt32(6),
            RunId: reader.IsDBNull(7) ? null : reader.GetString(7),
            RunUrl: reader.IsDBNull(8) ? null : reader.GetString(8),
            RunAttempt: reader.IsDBNull(14) ? null : reader.GetInt32(14),
            CreatedAt: reader.GetFieldValue<DateTimeOffset>(9),
            UpdatedAt: reader.GetFieldValue<DateTimeOffset>(10),
            LastHeartbeatAt: reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
            LastError: reader.IsDBNull(11) ? null : reader.GetString(11),
            Output: reader.IsDBNull(12) ? null : JobOutput.Parse(reader.GetString(12)));
    }
}
