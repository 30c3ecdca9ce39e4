using System.Text.Json.Nodes;
using Npgsql;

namespace Provisioning.Tests.Scale;

/// <summary>Rows generated in bulk, as a long-running service leaves them, and small SQL helpers.</summary>
public static class ScaleRows
{
    /// <summary>
    /// <paramref name="jobs"/> jobs over the last year (ids <c>evt_scale_{n}</c>, 20 jobs per user), most ended, a few
    /// percent in flight, each with two history rows; as many inbox rows, nearly all processed.
    /// </summary>
    public static Task FillAsync(NpgsqlDataSource dataSource, int jobs) => ExecuteAsync(dataSource, $"""
        INSERT INTO jobs (job_id, stripe_event_id, user_id, agent_id, region, status, attempt, created_at, updated_at, version)
        SELECT 'evt_scale_' || n, 'evt_scale_' || n, 'user_' || (n % {jobs / 20 + 1}), 'agent_' || md5(n::text), 'us-east',
               CASE WHEN n % 100 < 85 THEN 'succeeded' WHEN n % 100 < 93 THEN 'failed' WHEN n % 100 < 96 THEN 'cancelled'
                    WHEN n % 100 < 97 THEN 'dispatched' WHEN n % 100 < 98 THEN 'provisioning' WHEN n % 100 < 99 THEN 'queued'
                    ELSE 'waiting' END,
               1, now() - make_interval(secs => ({jobs} - n) * 30), now() - make_interval(secs => ({jobs} - n) * 30 - 600), 2
        FROM generate_series(1, {jobs}) n;
        INSERT INTO job_history (job_id, seq, at, from_status, to_status, actor, reason)
        SELECT j.job_id, s, j.created_at + make_interval(secs => s), CASE WHEN s = 1 THEN 'queued' END,
               CASE WHEN s = 0 THEN 'queued' ELSE j.status END, 'system', 'step'
        FROM jobs j CROSS JOIN generate_series(0, 1) s;
        INSERT INTO stripe_inbox (event_id, type, created, livemode, source, body, received_at, outcome, creates_job, job_id,
                                  work, processed_at)
        SELECT 'evt_scale_' || n, 'checkout.session.completed', now() - make_interval(secs => ({jobs} - n) * 30), false, 'webhook',
               '\x7b7d', now() - make_interval(secs => ({jobs} - n) * 30), 'job-created', false, 'evt_scale_' || n,
               CASE WHEN n % 1000 = 0 THEN jsonb_build_object() END,
               CASE WHEN n % 1000 <> 0 THEN now() - make_interval(secs => ({jobs} - n) * 30) END
        FROM generate_series(1, {jobs}) n;
        ANALYZE jobs; ANALYZE job_history; ANALYZE stripe_inbox;
        """);

    /// <summary>Runs <paramref name="sql"/> (one or more statements) in a transaction of its own.</summary>
    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 600 })
        {
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Runs <paramref name="command"/> under EXPLAIN (ANALYZE, BUFFERS) in a transaction that is rolled back; answers the
    /// plan and the shared buffers it read.
    /// </summary>
    public static async Task<(JsonNode Plan, long Buffers)> ExplainAsync(NpgsqlDataSource dataSource, NpgsqlCommand command)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + command.CommandText, connection, transaction);
        foreach (NpgsqlParameter parameter in command.Parameters)
        {
            explain.Parameters.Add(parameter.Clone());
        }

        var plan = JsonNode.Parse((string)(await explain.ExecuteScalarAsync())!)![0]!["Plan"]!;
        await transaction.RollbackAsync();
        return (plan, (long)plan["Shared Hit Blocks"]! + (long)plan["Shared Read Blocks"]!);
    }

    /// <summary>Jobs by status as counted by scanning the table, every status present (zero when none).</summary>
    public static async Task<Dictionary<string, int>> ScannedCountsAsync(NpgsqlDataSource dataSource)
    {
        var counts = new[] { "waiting", "queued", "dispatched", "provisioning", "succeeded", "failed", "cancelled" }.ToDictionary(s => s, _ => 0);
        await using var command = dataSource.CreateCommand("SELECT status, count(*)::int FROM jobs GROUP BY status");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }
}
