using Npgsql;
using NpgsqlTypes;
using Provisioning.Grains.StripeInbox;
using Provisioning.Jobs;

namespace Provisioning.Tests.Inbox;

/// <summary>Rows of the Stripe inbox written or changed directly, for states a test cannot reach through HTTP alone.</summary>
public static class InboxRows
{
    /// <summary>
    /// A paid checkout acknowledged but not processed: its row as the append leaves it, with its hand-over held by a silo
    /// for <paramref name="heldFor"/> (negative: already lapsed, as when that silo died after the commit).
    /// </summary>
    public static async Task<string> StoreUnprocessedCheckoutAsync(string connectionString, string userId, TimeSpan heldFor)
    {
        var eventId = $"evt_stored_{Guid.NewGuid():N}";
        var session = $"cs_stored_{Guid.NewGuid():N}";
        var job = new NewJob(eventId, userId, $"agent_{Guid.NewGuid():N}", "us-east", session, DateTimeOffset.UtcNow);
        await ExecuteAsync(connectionString, """
            INSERT INTO stripe_inbox (event_id, type, created, livemode, object_id, checkout_session_id, source, body, outcome,
                creates_job, job_id, work, claimed_until)
            VALUES ($1, 'checkout.session.completed', now(), false, $2, $2, 'webhook', '\x7b7d', 'job-created', true, $1, $3, now() + $4)
            """,
            new() { Value = eventId },
            new() { Value = session },
            new() { Value = new InboxWork(job, null).ToJson(), NpgsqlDbType = NpgsqlDbType.Jsonb },
            new() { Value = heldFor, NpgsqlDbType = NpgsqlDbType.Interval });
        return eventId;
    }

    /// <summary>Whether a backstop pass has taken the stored event: it holds it for its own lease, well past the hand-over's.</summary>
    public static async Task<bool> IsTakenByBackstopAsync(string connectionString, string eventId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT claimed_until > now() + interval '10 seconds' FROM stripe_inbox WHERE event_id = $1 AND processed_at IS NULL", connection);
        command.Parameters.Add(new() { Value = eventId });
        return await command.ExecuteScalarAsync() is true;
    }

    /// <summary>Lets every held hand-over lapse, so the backstop takes the rows at its next pass.</summary>
    public static Task LapseHandOversAsync(string connectionString) =>
        ExecuteAsync(connectionString, "UPDATE stripe_inbox SET claimed_until = now() - interval '1 second' WHERE processed_at IS NULL");

    private static async Task ExecuteAsync(string connectionString, string sql, params NpgsqlParameter[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync();
    }
}
