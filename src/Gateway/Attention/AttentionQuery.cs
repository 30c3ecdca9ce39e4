using Microsoft.Extensions.Options;
using Npgsql;
using Provisioning.Gateway.Api;
using NpgsqlTypes;
using Provisioning.Gateway.Dashboard;
using Provisioning.Gateway.Jobs;
using Provisioning.Jobs;
using Provisioning.StripeEvents;

namespace Provisioning.Gateway.Attention;

/// <summary>
/// What needs a person, read in one round trip: the failed count (kept counts, <c>db/0008_job_counts.sql</c>), the newest
/// failures grouped by error, and jobs waiting, running silent or held back by GitHub's rate limits; then the Stripe
/// endpoint's status from reconciliation. Each statement reads through an index a bounded number of rows.
/// </summary>
public sealed class AttentionQuery([FromKeyedServices(GatewayReadPool.Key)] NpgsqlDataSource dataSource, IGrainFactory grains, IOptions<DashboardOptions> options, TimeProvider time)
{
    /// <summary>The most jobs an attention list holds.</summary>
    public const int ListLimit = 100;

    /// <summary>How many of the newest failed jobs are grouped by error.</summary>
    public const int FailedSample = 500;

    private const string Columns = "job_id, user_id, agent_id, status, attempt, updated_at, last_heartbeat_at, last_error";

    public static readonly string FailedGroupsSql = $"""
        SELECT COALESCE(last_error, ''), count(*)::int, max(updated_at), (array_agg(job_id ORDER BY updated_at DESC, job_id DESC))[1:5]
        FROM (SELECT job_id, last_error, updated_at FROM jobs WHERE status = 'failed'
              ORDER BY updated_at DESC, job_id DESC LIMIT {FailedSample}) newest
        GROUP BY 1 ORDER BY 2 DESC, 3 DESC
        """;

    public static readonly string WaitingSql = $"""
        SELECT {Columns} FROM jobs WHERE status = 'waiting' AND updated_at < $1
        ORDER BY updated_at, job_id LIMIT {ListLimit + 1}
        """;

    public static readonly string SilentRunsSql = $"""
        SELECT {Columns} FROM jobs WHERE status = 'provisioning' AND COALESCE(last_heartbeat_at, updated_at) < $1
        ORDER BY COALESCE(last_heartbeat_at, updated_at), job_id LIMIT {ListLimit + 1}
        """;

    /// <summary>Queued jobs whose last transition is a rate-limited dispatch request, among the longest queued.</summary>
    public static readonly string RateLimitedSql = $"""
        SELECT {Columns} FROM (
            SELECT {Columns} FROM jobs WHERE status = 'queued' ORDER BY updated_at, job_id LIMIT {FailedSample}) queued
        CROSS JOIN LATERAL (SELECT reason FROM job_history h WHERE h.job_id = queued.job_id ORDER BY seq DESC LIMIT 1) last
        WHERE last.reason LIKE 'dispatch request % rate limited:%'
        ORDER BY updated_at, job_id LIMIT {ListLimit + 1}
        """;

    public async Task<AttentionResponse> ReadAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(JobCountsQuery.Sql),
                new NpgsqlBatchCommand(FailedGroupsSql),
                Before(WaitingSql, now - settings.WaitingAttentionAfter),
                Before(SilentRunsSql, now - settings.SilentRunAttentionAfter),
                new NpgsqlBatchCommand(RateLimitedSql),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        long failed = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            failed += reader.GetString(0) == "failed" ? reader.GetInt32(1) : 0;
        }

        await reader.NextResultAsync(cancellationToken);
        var groups = new List<FailureGroup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(new(reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<string[]>(3)));
        }

        var waiting = await ListAsync(reader, settings.WaitingAttentionAfter, cancellationToken);
        var silent = await ListAsync(reader, settings.SilentRunAttentionAfter, cancellationToken);
        var limited = await ListAsync(reader, null, cancellationToken);
        await reader.DisposeAsync();
        var status = await grains.GetGrain<IStripeReconcilerGrain>(0).GetStatusAsync();
        var disabled = status.Enabled && status.EndpointStatus == "disabled";
        var total = failed + waiting.Jobs.Count + silent.Jobs.Count + limited.Jobs.Count + (disabled ? 1 : 0);
        return new AttentionResponse(
            total, new FailedAttention(failed, FailedSample, groups), waiting, silent, limited,
            new EndpointAttention(disabled, status.WebhookEndpointId, status.EndpointStatus));
    }

    private static NpgsqlBatchCommand Before(string sql, DateTimeOffset at) => new(sql)
    {
        Parameters = { new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz } },
    };

    private static async Task<JobsAttention> ListAsync(NpgsqlDataReader reader, TimeSpan? after, CancellationToken cancellationToken)
    {
        await reader.NextResultAsync(cancellationToken);
        var jobs = new List<AttentionJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            JobNames.TryParse(reader.GetString(3), out var status);
            jobs.Add(new(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), status ?? JobStatus.Queued, reader.GetInt32(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        var more = jobs.Count > ListLimit;
        return new JobsAttention(after?.TotalSeconds, more ? jobs[..ListLimit] : jobs, more);
    }
}
