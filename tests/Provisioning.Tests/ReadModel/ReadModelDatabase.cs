using Npgsql;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.ReadModel;

/// <summary>A migrated database shared by the tests of one class, and a data source for it.</summary>
public sealed class ReadModelDatabase : IAsyncLifetime
{
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync() =>
        DataSource = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("readmodel"));

    public async Task DisposeAsync() => await DataSource.DisposeAsync();

    /// <summary>The stored row of a job as "column=value" pairs (null for no row).</summary>
    public async Task<Dictionary<string, object?>?> JobRowAsync(string jobId)
    {
        await using var command = DataSource.CreateCommand("SELECT * FROM jobs WHERE job_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return Enumerable.Range(0, reader.FieldCount)
            .ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
    }

    /// <summary>The stored history of a job in seq order, one line per entry.</summary>
    public async Task<IReadOnlyList<string>> HistoryAsync(string jobId)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT seq, at, from_status, to_status, actor, reason FROM job_history WHERE job_id = $1 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var from = reader.IsDBNull(2) ? "null" : reader.GetString(2);
            rows.Add($"{reader.GetInt32(0)} {reader.GetFieldValue<DateTimeOffset>(1):O} {from}->{reader.GetString(3)} {reader.GetString(4)} {reader.GetString(5)}");
        }

        return rows;
    }
}
