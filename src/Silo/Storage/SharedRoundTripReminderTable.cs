using Provisioning.Grains.Batching;
using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace Provisioning.Silo.Storage;

/// <summary>
/// The reminder table of Orleans' ADO.NET provider (<c>OrleansRemindersTable</c>, db/0004), with the changes grains make
/// to their own reminders (register, look up, unregister) sent through <see cref="SharedRoundTrips"/>, so that they share
/// round trips and commits with each other and with grain state. The statements keep db/0004's semantics: a reminder's
/// version is its ETag, bumped on every upsert; an unregister with a stale ETag deletes nothing. The reminder service's
/// range reads, start and stop go to the ADO.NET table itself.
/// </summary>
public sealed class SharedRoundTripReminderTable(IReminderTable inner, SharedRoundTrips roundTrips, IOptions<ClusterOptions> cluster)
    : IReminderTable
{
    private const string Table = "OrleansRemindersTable";

    private const string Columns = "GrainId, ReminderName, StartTime, Period, Version";

    private const string ReadSql = $"SELECT {Columns} FROM OrleansRemindersTable WHERE ServiceId = $1 AND GrainId = $2 AND ReminderName = $3";

    private const string UpsertSql = """
        INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
        VALUES ($1, $2, $3, $4, $5, $6, 1 + floor(random() * 1073741824)::integer)
        ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = EXCLUDED.StartTime, Period = EXCLUDED.Period, GrainHash = EXCLUDED.GrainHash,
            Version = CASE WHEN OrleansRemindersTable.Version >= 2147483647 THEN 1 ELSE OrleansRemindersTable.Version + 1 END
        RETURNING Version
        """;

    private const string RemoveSql = """
        WITH deleted AS (
            DELETE FROM OrleansRemindersTable
            WHERE ServiceId = $1 AND GrainId = $2 AND ReminderName = $3 AND Version = $4
            RETURNING 1
        )
        SELECT EXISTS (SELECT 1 FROM deleted)
        """;

    private string ServiceId => cluster.Value.ServiceId;

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        roundTrips.FirstRowAsync("read", Table, () => Command(ReadSql, grainId, reminderName), reader => new ReminderEntry
        {
            GrainId = GrainId.Parse(reader.GetString(0)),
            ReminderName = reader.GetString(1),
            StartAt = reader.GetFieldValue<DateTime>(2),
            Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
            ETag = reader.GetInt32(4).ToString(CultureInfo.InvariantCulture),
        });

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var version = await roundTrips.FirstRowAsync<int?>("upsert", Table, () =>
        {
            var command = Command(UpsertSql, entry.GrainId, entry.ReminderName);
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = DateTime.SpecifyKind(entry.StartAt.ToUniversalTime(), DateTimeKind.Utc) });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)entry.Period.TotalMilliseconds });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = unchecked((int)entry.GrainId.GetUniformHashCode()) });
            return command;
        }, reader => reader.GetInt32(0));
        return version?.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!int.TryParse(eTag, NumberStyles.Integer, CultureInfo.InvariantCulture, out var version))
        {
            return false; // Not an ETag this table gave out: no row has it.
        }

        var removed = await roundTrips.FirstRowAsync<bool?>("delete", Table, () =>
        {
            var command = Command(RemoveSql, grainId, reminderName);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
            return command;
        }, reader => reader.GetBoolean(0));
        return removed == true;
    }

    private NpgsqlBatchCommand Command(string sql, GrainId grainId, string reminderName)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ServiceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId.ToString() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reminderName });
        return command;
    }
}
