using Npgsql;
using NpgsqlTypes;
using Provisioning.Grains.Batching;
using Provisioning.StripeEvents;

namespace Provisioning.Grains.StripeInbox;

/// <summary>
/// The <c>stripe_inbox</c> table (<c>db/0007_stripe_inbox.sql</c>). Appends and the marks of processing go through
/// <see cref="SharedRoundTrips"/>, so concurrent deliveries share one commit while a lone one commits at once. One job per
/// checkout session is the database's rule (a unique index), applied in the append itself.
/// </summary>
public sealed class StripeInbox(SharedRoundTrips roundTrips, NpgsqlDataSource dataSource)
{
    private const string Columns =
        "event_id, type, created, livemode, received_at, outcome, job_id, subscription_id, duplicate_of, processed_at, attempts, last_error";

    // One statement: the event's row (its outcome a duplicate of the session's job-creating event when there is one), or,
    // for an event id already stored, that row marked as a redelivery. No row at all means a concurrent transaction
    // committed the same event or session after this statement's snapshot: the statement runs again and sees it.
    private const string AppendSql = $"""
        WITH first AS (
            SELECT event_id, job_id FROM stripe_inbox WHERE $12 AND checkout_session_id = $7 AND creates_job
        ), inserted AS (
            INSERT INTO stripe_inbox (event_id, type, created, livemode, api_version, object_id, checkout_session_id, source,
                body, outcome, creates_job, job_id, subscription_id, duplicate_of, work, processed_at, claimed_until)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9,
                CASE WHEN f.event_id IS NULL THEN $10 ELSE 'duplicate of ' || f.event_id END,
                $12 AND f.event_id IS NULL,
                CASE WHEN f.event_id IS NULL THEN $11 ELSE f.job_id END,
                $13,
                f.event_id,
                CASE WHEN f.event_id IS NULL THEN $14 END,
                CASE WHEN f.event_id IS NULL AND $14 IS NOT NULL THEN NULL ELSE now() END,
                CASE WHEN f.event_id IS NULL AND $14 IS NOT NULL THEN now() + $15 END
            FROM (VALUES (1)) AS one (x) LEFT JOIN first f ON true
            ON CONFLICT DO NOTHING
            RETURNING {Columns}
        )
        SELECT {Columns}, false FROM inserted
        UNION ALL
        SELECT {Columns}, true FROM stripe_inbox WHERE event_id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)
        """;

    private const int AppendTries = 3;

    /// <summary>Stores the event with its route; answers the stored row and whether the event id was already there.</summary>
    public async Task<(StripeEventRecord Record, bool Duplicate)> AppendAsync(
        StripeEventEnvelope e, byte[] body, StripeEventRoute route, string source, TimeSpan handOverLease)
    {
        var work = route.Work?.ToJson();
        for (var attempt = 1; ; attempt++)
        {
            var stored = await roundTrips.FirstRowAsync("INSERT", "stripe_inbox", () => new NpgsqlBatchCommand(AppendSql)
            {
                Parameters =
                {
                    new() { Value = e.EventId },
                    new() { Value = e.Type },
                    new() { Value = e.Created },
                    new() { Value = e.Livemode },
                    new() { Value = (object?)e.ApiVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                    new() { Value = (object?)e.ObjectId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                    new() { Value = (object?)route.CheckoutSessionId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                    new() { Value = source },
                    new() { Value = body, NpgsqlDbType = NpgsqlDbType.Bytea },
                    new() { Value = route.Outcome },
                    new() { Value = (object?)route.JobId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                    new() { Value = route.CreatesJob },
                    new() { Value = (object?)route.SubscriptionId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                    new() { Value = (object?)work ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb },
                    new() { Value = handOverLease, NpgsqlDbType = NpgsqlDbType.Interval },
                },
            }, reader => new Stored(ReadRecord(reader), reader.GetBoolean(12)));
            if (stored is not null)
            {
                return (stored.Record, stored.Duplicate);
            }

            if (attempt == AppendTries)
            {
                throw new InvalidOperationException($"Stripe event {e.EventId} was neither stored nor found after {AppendTries} tries.");
            }
        }
    }

    public Task<StripeEventRecord?> GetAsync(string eventId) =>
        roundTrips.FirstRowAsync("SELECT", "stripe_inbox", () => new NpgsqlBatchCommand(
            $"SELECT {Columns} FROM stripe_inbox WHERE event_id = $1") { Parameters = { new() { Value = eventId } } }, ReadRecord);

    /// <summary>The stored event's owed work, or null when it is processed (or was never stored).</summary>
    public Task<InboxEntry?> GetOwedAsync(string eventId) =>
        roundTrips.FirstRowAsync("SELECT", "stripe_inbox", () => new NpgsqlBatchCommand(
            "SELECT event_id, created, work::text FROM stripe_inbox WHERE event_id = $1 AND processed_at IS NULL")
        {
            Parameters = { new() { Value = eventId } },
        }, ReadEntry);

    /// <summary>Marks the event processed (once: a later mark changes nothing).</summary>
    public Task MarkProcessedAsync(string eventId) =>
        roundTrips.FirstRowAsync<object>("UPDATE", "stripe_inbox", () => new NpgsqlBatchCommand("""
            UPDATE stripe_inbox SET processed_at = now(), claimed_until = NULL, attempts = attempts + 1, last_error = NULL
            WHERE event_id = $1 AND processed_at IS NULL
            RETURNING 1
            """) { Parameters = { new() { Value = eventId } } }, _ => new object());

    /// <summary>Records a failed processing; the backstop takes the event again after <paramref name="retryAfter"/>.</summary>
    public Task MarkFailedAsync(string eventId, string error, TimeSpan retryAfter) =>
        roundTrips.FirstRowAsync<object>("UPDATE", "stripe_inbox", () => new NpgsqlBatchCommand("""
            UPDATE stripe_inbox SET attempts = attempts + 1, last_error = $2, claimed_until = now() + $3
            WHERE event_id = $1 AND processed_at IS NULL
            RETURNING 1
            """)
        {
            Parameters =
            {
                new() { Value = eventId },
                new() { Value = error.Length <= 500 ? error : error[..500] },
                new() { Value = retryAfter, NpgsqlDbType = NpgsqlDbType.Interval },
            },
        }, _ => new object());

    /// <summary>
    /// Takes up to <paramref name="limit"/> unprocessed events whose hand-over has lapsed, oldest first, and holds them for
    /// <paramref name="lease"/>; rows another silo is taking at the same moment are skipped, not waited for.
    /// </summary>
    public async Task<IReadOnlyList<InboxEntry>> ClaimLapsedAsync(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE stripe_inbox i SET claimed_until = now() + $2
            FROM (SELECT event_id FROM stripe_inbox
                  WHERE processed_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                  ORDER BY received_at, event_id LIMIT $1 FOR UPDATE SKIP LOCKED) lapsed
            WHERE i.event_id = lapsed.event_id
            RETURNING i.event_id, i.created, i.work::text, i.received_at
            """);
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = lease, NpgsqlDbType = NpgsqlDbType.Interval });
        var claimed = new List<(InboxEntry Entry, DateTimeOffset ReceivedAt)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add((ReadEntry(reader), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return [.. claimed.OrderBy(c => c.ReceivedAt).Select(c => c.Entry)];
    }

    /// <summary>How many events are stored but not processed, and the age of the oldest, by the database's clock.</summary>
    public async Task<(long Events, TimeSpan OldestAge)> MeasureBacklogAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*), COALESCE(extract(epoch FROM now() - min(received_at)), 0)::float8
            FROM stripe_inbox WHERE processed_at IS NULL
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(1))));
    }

    private static StripeEventRecord ReadRecord(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetBoolean(3), r.GetFieldValue<DateTimeOffset>(4),
        r.GetString(5), Text(r, 6), Text(r, 7), Text(r, 8),
        r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9), r.GetInt32(10), Text(r, 11));

    private static InboxEntry ReadEntry(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), InboxWork.FromJson(r.GetString(2)));

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private sealed record Stored(StripeEventRecord Record, bool Duplicate);
}
