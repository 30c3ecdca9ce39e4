using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioning.Grains.Maintenance;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Scale;

public sealed class RetentionTests
{
    [Fact]
    public async Task Purge_InboxAndEndedJobsPastRetention_DeletesOnlyThoseInBatches()
    {
        await using var dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("retention"));
        // Inbox: processed 60 days ago (purged), processed 10 days ago (kept), unprocessed 60 days ago (kept: owed work).
        await ScaleRows.ExecuteAsync(dataSource, """
            INSERT INTO stripe_inbox (event_id, type, created, livemode, source, body, received_at, outcome, creates_job, work, processed_at)
            SELECT 'evt_' || kind || '_' || n, 'checkout.session.completed', now(), false, 'webhook', '\x7b7d',
                   now() - CASE WHEN kind = 'recent' THEN interval '10 days' ELSE interval '60 days' END, 'job-created', false,
                   CASE WHEN kind = 'owed' THEN jsonb_build_object() END,
                   CASE WHEN kind <> 'owed' THEN now() - interval '9 days' END
            FROM unnest(ARRAY['old', 'recent', 'owed']) kind CROSS JOIN generate_series(1, 7) n;
            """);
        // Jobs: ended 100 days ago (purged with their history), in flight 100 days ago (kept), ended yesterday (kept).
        await ScaleRows.ExecuteAsync(dataSource, """
            INSERT INTO jobs (job_id, stripe_event_id, user_id, agent_id, region, status, attempt, created_at, updated_at, version)
            SELECT 'job_' || kind || '_' || n, 'evt', 'user', 'agent', 'us-east',
                   CASE WHEN kind = 'running' THEN 'provisioning' WHEN n % 2 = 0 THEN 'failed' ELSE 'succeeded' END, 1,
                   now() - interval '200 days', now() - CASE WHEN kind = 'recent' THEN interval '1 day' ELSE interval '100 days' END, 1
            FROM unnest(ARRAY['old', 'running', 'recent']) kind CROSS JOIN generate_series(1, 5) n;
            INSERT INTO job_history (job_id, seq, at, to_status, actor, reason) SELECT job_id, 0, created_at, 'queued', 'stripe', 'paid' FROM jobs;
            """);
        var options = new MaintenanceOptions { JobRetention = TimeSpan.FromDays(30), PurgeBatch = 2 };
        var maintenance = new DataMaintenance(
            new DataRetention(dataSource), Options.Create(options), TimeProvider.System, NullLogger<DataMaintenance>.Instance);

        var deleted = await maintenance.PurgeAsync(CancellationToken.None);

        Assert.Equal(7 + 5, deleted);
        Assert.Equal(
            ["evt_owed", "evt_recent"],
            await ListAsync(dataSource, "SELECT DISTINCT split_part(event_id, '_', 1) || '_' || split_part(event_id, '_', 2) FROM stripe_inbox"));
        Assert.Equal(14L, await ScaleRows.ScalarAsync<long>(dataSource, "SELECT count(*) FROM stripe_inbox"));
        Assert.Equal(
            ["job_recent", "job_running"],
            await ListAsync(dataSource, "SELECT DISTINCT split_part(job_id, '_', 1) || '_' || split_part(job_id, '_', 2) FROM jobs"));
        Assert.Equal(10L, await ScaleRows.ScalarAsync<long>(dataSource, "SELECT count(*) FROM job_history"));
        await new DataRetention(dataSource).FoldCountsAsync(CancellationToken.None);
        Assert.Equal(10L, await ScaleRows.ScalarAsync<long>(dataSource, "SELECT sum(jobs)::bigint FROM job_counts"));

        // Nothing is left to purge: a second pass deletes nothing.
        Assert.Equal(0, await maintenance.PurgeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Purge_NoJobRetention_KeepsTheReadModel()
    {
        await using var dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("retention"));
        await ScaleRows.ExecuteAsync(dataSource, """
            INSERT INTO jobs (job_id, stripe_event_id, user_id, agent_id, region, status, attempt, created_at, updated_at, version)
            VALUES ('job_old', 'evt', 'user', 'agent', 'us-east', 'succeeded', 1, now() - interval '5 years', now() - interval '5 years', 1)
            """);
        var maintenance = new DataMaintenance(
            new DataRetention(dataSource), Options.Create(new MaintenanceOptions()), TimeProvider.System, NullLogger<DataMaintenance>.Instance);

        Assert.Equal(0, await maintenance.PurgeAsync(CancellationToken.None));
        Assert.Equal(1L, await ScaleRows.ScalarAsync<long>(dataSource, "SELECT count(*) FROM jobs"));
    }

    private static async Task<List<string>> ListAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
