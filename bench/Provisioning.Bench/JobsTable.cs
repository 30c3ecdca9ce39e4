using Npgsql;

namespace Provisioning.Bench;

/// <summary>The service's read model of jobs (<c>jobs</c>, one row per job, keyed by the Stripe event id that created it).</summary>
public sealed class JobsTable(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    /// <summary>Which of <paramref name="jobIds"/> have a job.</summary>
    public Task<IReadOnlyList<string>> ExistingAsync(IReadOnlyCollection<string> jobIds) =>
        ReadAsync("SELECT job_id FROM jobs WHERE job_id = ANY($1)", jobIds.ToArray());

    /// <summary>Which of <paramref name="jobIds"/> have a job past its workflow dispatch (neither waiting nor queued).</summary>
    public Task<IReadOnlyList<string>> PastDispatchAsync(IReadOnlyCollection<string> jobIds) =>
        ReadAsync("SELECT job_id FROM jobs WHERE job_id = ANY($1) AND status NOT IN ('waiting', 'queued')", jobIds.ToArray());

    /// <summary>Every job whose id starts with <paramref name="prefix"/>.</summary>
    public Task<IReadOnlyList<string>> WithPrefixAsync(string prefix) =>
        ReadAsync("SELECT job_id FROM jobs WHERE starts_with(job_id, $1)", prefix);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<IReadOnlyList<string>> ReadAsync<T>(string sql, T parameter)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = parameter });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
