using Npgsql;

namespace Provisioning.Bench;

/// <summary>After the run: every acknowledged event has its job, no job was dispatched twice, and nothing is owed.</summary>
public static class Checker
{
    public sealed record Verdict(int Acknowledged, int Jobs, int Lost, int Duplicates, int Unacknowledged, int JobsWithoutAck);

    public static async Task<Verdict> CheckAsync(string connectionString, Ledger ledger, IReadOnlyList<DispatchRequest> dispatches)
    {
        var acknowledged = ledger.AcknowledgedIds.ToArray();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT job_id FROM jobs WHERE starts_with(job_id, $1)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CheckoutEvents.IdPrefix });
        var jobs = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                jobs.Add(reader.GetString(0));
            }
        }

        var lost = acknowledged.Count(id => !jobs.Contains(id));
        var acknowledgedSet = acknowledged.ToHashSet(StringComparer.Ordinal);
        var withoutAck = jobs.Count(id => !acknowledgedSet.Contains(id));
        var duplicates = dispatches
            .Where(d => d.Status is >= 200 and < 300)
            .GroupBy(d => d.JobId, StringComparer.Ordinal)
            .Sum(g => g.Count() - 1);
        return new Verdict(acknowledged.Length, jobs.Count, lost, duplicates, ledger.Owed.Count, withoutAck);
    }
}
