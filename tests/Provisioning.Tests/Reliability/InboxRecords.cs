using Npgsql;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// The scenario's rows of the Stripe inbox (<c>stripe_inbox</c>), read straight from PostgreSQL. Reading them processes
/// nothing, unlike <c>GET /api/jobs/{id}</c>, which carries out a stored checkout first: what a backstop did or failed to
/// do stays visible.
/// </summary>
public static class InboxRecords
{
    public static async Task<Dictionary<string, InboxRecord>> ReadAsync(string connectionString, IEnumerable<string> eventIds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT event_id, checkout_session_id, outcome, creates_job, job_id, duplicate_of, received_at, processed_at, attempts, last_error,
                   claimed_until
            FROM stripe_inbox WHERE event_id = ANY(@ids)
            """, connection);
        command.Parameters.AddWithValue("ids", eventIds.ToArray());
        var rows = new Dictionary<string, InboxRecord>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new InboxRecord(
                reader.GetString(0), Text(reader, 1), reader.GetString(2), reader.GetBoolean(3), Text(reader, 4), Text(reader, 5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetInt32(8), Text(reader, 9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10));
            rows[row.EventId] = row;
        }

        return rows;
    }

    /// <summary>How many of <paramref name="eventIds"/> are stored and not processed yet.</summary>
    public static async Task<int> CountUnprocessedAsync(string connectionString, IEnumerable<string> eventIds) =>
        (await ReadAsync(connectionString, eventIds)).Values.Count(r => !r.Processed);

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}

/// <summary>
/// One stored Stripe event: its session, what it leads to, whether that has been carried out, and until when a silo holds
/// its processing (the storing silo's hand-over, or a backstop pass's lease).
/// </summary>
public sealed record InboxRecord(
    string EventId, string? CheckoutSessionId, string Outcome, bool CreatesJob, string? JobId, string? DuplicateOf,
    DateTimeOffset ReceivedAt, DateTimeOffset? ProcessedAt, int Attempts, string? LastError, DateTimeOffset? ClaimedUntil)
{
    public bool Processed => ProcessedAt is not null;
}
