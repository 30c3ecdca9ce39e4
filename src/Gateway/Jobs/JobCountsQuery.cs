using Npgsql;

namespace Provisioning.Gateway.Jobs;

/// <summary>How many jobs the read model holds in each status: every status name, zero when none is in it.</summary>
public sealed class JobCountsQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyDictionary<string, int>> CountAsync(CancellationToken cancellationToken)
    {
        var counts = JobStatusNames.All.ToDictionary(name => name, _ => 0);
        await using var command = dataSource.CreateCommand("SELECT status, count(*)::int FROM jobs GROUP BY status");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (JobStatusNames.TryParse(reader.GetString(0), out var status))
            {
                counts[JobStatusNames.Name(status.Value)] = reader.GetInt32(1);
            }
        }

        return counts;
    }
}
