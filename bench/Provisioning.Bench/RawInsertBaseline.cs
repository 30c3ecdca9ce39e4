using System.Diagnostics;
using Npgsql;

namespace Provisioning.Bench;

/// <summary>
/// The physical limit of one durable write per webhook: connections each inserting
/// a 2 KB event row (<c>INSERT ... ON CONFLICT DO NOTHING</c>, one transaction per row) as fast as PostgreSQL commits them.
/// </summary>
public static class RawInsertBaseline
{
    private const string Table = "bench_raw_events";

    public static async Task<(double PerSecond, string SynchronousCommit)> RunAsync(
        string connectionString, int concurrency, TimeSpan duration)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = concurrency + 4 };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var synchronousCommit = (string)(await dataSource.CreateCommand("SHOW synchronous_commit").ExecuteScalarAsync())!;
        await EventTable.CreateAsync(dataSource, Table);

        var payload = new string('x', 2048);
        var inserted = 0L;
        var clock = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, concurrency).Select(async writer =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand(
                EventTable.Insert(Table), connection)
            {
                Parameters = { new NpgsqlParameter<string>(), new NpgsqlParameter<string> { TypedValue = payload } },
            };
            await insert.PrepareAsync();
            var n = 0;
            while (clock.Elapsed < duration)
            {
                ((NpgsqlParameter<string>)insert.Parameters[0]).TypedValue = $"evt_raw_{writer}_{n++}";
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref inserted);
            }
        });
        await Task.WhenAll(writers);
        var elapsed = clock.Elapsed;
        await EventTable.DropAsync(dataSource, Table);
        return (inserted / elapsed.TotalSeconds, synchronousCommit);
    }
}
