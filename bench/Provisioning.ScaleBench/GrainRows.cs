using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using Provisioning.Grains.Jobs;
using Provisioning.Jobs;
using Provisioning.Silo.Storage;

namespace Provisioning.ScaleBench;

/// <summary>
/// Grain state and reminders for the jobs bench/scale/fill.sql put in the read model, in the formats the silo reads: the
/// job grain's <see cref="JobState"/> through the silo's grain storage serializer, keyed and hashed by
/// <see cref="GrainStorageKey"/> (state name <c>job</c>), and an <c>owed-work</c> reminder row (GrainId text and uniform
/// hash, as the reminder table writes them) for every job dispatched and waiting for a claim, due at its claim deadline.
/// Jobs named <c>evt_probe_*</c> are dispatched long ago and get no reminder here: <c>probe-reminders</c> adds theirs.
/// </summary>
public static class GrainRows
{
    private const string StateName = "job";
    private const string ReminderName = "owed-work";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    public static async Task<int> FillAsync(Arguments args)
    {
        var connectionString = args.Get("connection-string");
        var serviceId = args.Get("service-id", "provisioning");
        var claimTimeout = TimeSpan.Parse(args.Get("claim-timeout", "02:00:00"), System.Globalization.CultureInfo.InvariantCulture);
        using var host = OrleansServices();
        var serializer = host.Services.GetRequiredService<IGrainStorageSerializer>();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var now = DateTimeOffset.UtcNow;

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var read = await dataSource.OpenConnectionAsync();
        await using var writeState = await dataSource.OpenConnectionAsync();
        await using var writeReminders = await dataSource.OpenConnectionAsync();
        await using var states = await writeState.BeginBinaryImportAsync("""
            COPY OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
                                 ServiceId, PayloadBinary, ModifiedOn, Version) FROM STDIN (FORMAT BINARY)
            """);
        await using var reminders = await writeReminders.BeginBinaryImportAsync("""
            COPY OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version) FROM STDIN (FORMAT BINARY)
            """);
        await using var command = new NpgsqlCommand("""
            SELECT job_id, stripe_event_id, user_id, agent_id, region, status, attempt, run_id, run_url, created_at, updated_at,
                   last_error, version
            FROM jobs
            """, read);
        await using var reader = await command.ExecuteReaderAsync();
        long rows = 0, reminderRows = 0;
        var random = new Random(19);
        while (await reader.ReadAsync())
        {
            var jobId = reader.GetString(0);
            var status = Enum.Parse<JobStatus>(reader.GetString(5), ignoreCase: true);
            var createdAt = reader.GetFieldValue<DateTimeOffset>(9);
            var probe = jobId.StartsWith("evt_probe_", StringComparison.Ordinal);
            // A job waiting for a runner was dispatched in the last ten minutes; a probe long ago (its claim deadline passed).
            var dispatchedAt = status == JobStatus.Dispatched && !probe ? now.AddSeconds(-random.Next(600)) : createdAt.AddMinutes(1);
            var state = new JobState
            {
                Created = true,
                StripeEventId = reader.GetString(1),
                UserId = reader.GetString(2),
                AgentId = reader.GetString(3),
                Region = reader.GetString(4),
                CheckoutSessionId = "cs_" + jobId,
                Status = status,
                Attempt = reader.GetInt32(6),
                RunId = reader.IsDBNull(7) ? null : reader.GetString(7),
                RunUrl = reader.IsDBNull(8) ? null : reader.GetString(8),
                CreatedAt = createdAt,
                PaidAt = createdAt,
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(10),
                LastError = reader.IsDBNull(11) ? null : reader.GetString(11),
                History = History(status, createdAt),
                Version = reader.GetInt64(12),
                DispatchTries = 1,
                DispatchStartedAt = dispatchedAt,
                DispatchedAt = dispatchedAt,
            };
            var grainId = grains.GetGrain<IProvisioningJobGrain>(jobId).GetGrainId();
            var key = GrainStorageKey.From(StateName, grainId);
            await states.StartRowAsync();
            await states.WriteAsync(key.GrainIdHash, NpgsqlDbType.Integer);
            await states.WriteAsync(key.N0, NpgsqlDbType.Bigint);
            await states.WriteAsync(key.N1, NpgsqlDbType.Bigint);
            await states.WriteAsync(key.GrainTypeHash, NpgsqlDbType.Integer);
            await states.WriteAsync(key.StateName, NpgsqlDbType.Varchar);
            await states.WriteAsync(key.Extension, NpgsqlDbType.Varchar);
            await states.WriteAsync(serviceId, NpgsqlDbType.Varchar);
            await states.WriteAsync(serializer.Serialize(state).ToArray(), NpgsqlDbType.Bytea);
            await states.WriteAsync(state.UpdatedAt, NpgsqlDbType.TimestampTz);
            await states.WriteAsync(1 + random.Next(1 << 30), NpgsqlDbType.Integer);
            rows++;

            if (status == JobStatus.Dispatched && !probe)
            {
                await WriteReminderAsync(reminders, serviceId, grainId, dispatchedAt + claimTimeout);
                reminderRows++;
            }
        }

        await states.CompleteAsync();
        await reminders.CompleteAsync();
        Console.WriteLine($"grain states={rows} reminders={reminderRows}");
        return 0;
    }

    /// <summary>Gives every probe job an owed-work reminder due now: whichever silo's range holds it fires it when it loads the range.</summary>
    public static async Task<int> ProbeRemindersAsync(Arguments args)
    {
        var serviceId = args.Get("service-id", "provisioning");
        using var host = OrleansServices();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        await using var dataSource = NpgsqlDataSource.Create(args.Get("connection-string"));
        var probes = new List<string>();
        await using (var command = dataSource.CreateCommand("SELECT job_id FROM jobs WHERE job_id LIKE 'evt\\_probe\\_%'"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                probes.Add(reader.GetString(0));
            }
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var reminders = await connection.BeginBinaryImportAsync(
            "COPY OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var jobId in probes)
            {
                await WriteReminderAsync(reminders, serviceId, grains.GetGrain<IProvisioningJobGrain>(jobId).GetGrainId(), DateTimeOffset.UtcNow);
            }

            await reminders.CompleteAsync();
        }

        Console.WriteLine($"probe reminders={probes.Count}");
        return 0;
    }

    private static async Task WriteReminderAsync(NpgsqlBinaryImporter reminders, string serviceId, GrainId grainId, DateTimeOffset due)
    {
        await reminders.StartRowAsync();
        await reminders.WriteAsync(serviceId, NpgsqlDbType.Varchar);
        await reminders.WriteAsync(grainId.ToString(), NpgsqlDbType.Varchar);
        await reminders.WriteAsync(ReminderName, NpgsqlDbType.Varchar);
        await reminders.WriteAsync(due, NpgsqlDbType.TimestampTz);
        await reminders.WriteAsync((long)ReminderPeriod.TotalMilliseconds, NpgsqlDbType.Bigint);
        await reminders.WriteAsync(unchecked((int)grainId.GetUniformHashCode()), NpgsqlDbType.Integer);
        await reminders.WriteAsync(1, NpgsqlDbType.Integer);
    }

    /// <summary>The history bench/scale/fill.sql writes to job_history for a job that ended in <paramref name="status"/>.</summary>
    private static List<JobHistoryEntry> History(JobStatus status, DateTimeOffset createdAt)
    {
        List<JobHistoryEntry> history =
        [
            new(createdAt, null, JobStatus.Queued, JobActor.Stripe, "checkout paid"),
            new(createdAt.AddSeconds(60), JobStatus.Queued, JobStatus.Dispatched, JobActor.System, "workflow dispatched"),
        ];
        if (status == JobStatus.Dispatched)
        {
            return history;
        }

        history.Add(new(createdAt.AddSeconds(120), JobStatus.Dispatched,
            status == JobStatus.Cancelled ? JobStatus.Cancelled : JobStatus.Provisioning, JobActor.Github, "run claimed"));
        if (status != JobStatus.Cancelled)
        {
            history.Add(new(createdAt.AddSeconds(180), JobStatus.Provisioning, status, JobActor.Github, "run finished"));
        }

        return history;
    }

    /// <summary>An Orleans silo's services, built but never started: the grain storage serializer and grain ids as a silo makes them.</summary>
    private static IHost OrleansServices()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering());
        return builder.Build();
    }
}
