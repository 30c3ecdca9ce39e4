using Npgsql;

namespace Provisioning.Tests.Reliability;

/// <summary>Quick looks at the read model while a scenario runs (the checker reads it in full afterwards).</summary>
public static class JobRows
{
    /// <summary>How many of <paramref name="jobIds"/> have a row in one of <paramref name="statuses"/>.</summary>
    public static async Task<int> CountAsync(string connectionString, IEnumerable<string> jobIds, params string[] statuses)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM jobs WHERE job_id = ANY(@ids) AND status = ANY(@statuses)", connection);
        command.Parameters.AddWithValue("ids", jobIds.ToArray());
        command.Parameters.AddWithValue("statuses", statuses);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }
}
