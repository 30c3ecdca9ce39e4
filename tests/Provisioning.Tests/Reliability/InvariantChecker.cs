using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Provisioning.Tests.Infrastructure;
using Provisioning.Users;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Checks DESIGN.md's invariants after a scenario, from the outside: the database (stripe_inbox, jobs, job_history), the
/// job API (the grains), the users' slots (an Orleans client) and the Actions simulator's request and callback logs.
/// <list type="bullet">
/// <item>I1: every event answered 2xx has its inbox row and its job, in the grain and in the read model, and its event
/// record says so; an event stored as <c>duplicate of X</c> (only possible when the scenario sent another Event object X
/// for its checkout session) has no job of its own, and X's job exists.</item>
/// <item>I2: at most one job per event id and at most one job per checkout session; no job of the scenario's users that
/// no sent event explains.</item>
/// <item>I3: per job attempt at most one run's claim accepted, at most one run completes the job; every run the history
/// names was created by a dispatch of that job; dispatches carry only the job's attempts, each attempt that ran was
/// dispatched, and no dispatch came before a rate limit's <c>retry-after</c>.</item>
/// <item>I4: per user, the jobs' in-progress intervals (queued to terminal, from their histories) never overlap, nor do the
/// intervals in which their runs' callbacks were accepted.</item>
/// <item>I5: within the settle bound after the fault healed, every job is in its expected (terminal) status, the read model
/// agrees with the grain, and every user's slot is free.</item>
/// <item>I6: within the same bound, every acknowledged event is processed (its row's <c>processed_at</c>, and
/// <c>processed: true</c> on <c>GET /api/stripe/events/{id}</c>), and what it leads to exists.</item>
/// </list>
/// The inbox is read from the database before any <c>GET /api/jobs/{id}</c> of a job that has no row yet: that request
/// carries out a stored checkout itself, which would hide a backstop that never did.
/// Every violation is collected, the figures are written (also when something failed), then the test fails listing all.
/// </summary>
public sealed class InvariantChecker(TestSystem system, ITestOutputHelper output, ReliabilityProfile profile)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] Terminal = ["succeeded", "failed", "cancelled"];
    private static readonly string[] InProgress = ["queued", "dispatched", "provisioning"];

    public async Task<ScenarioFigures> CheckAsync(ScenarioRun run)
    {
        var violations = new List<string>();
        var sent = run.Deliveries.SentIds;
        var acknowledged = run.Deliveries.AcknowledgedIds;
        var healedAt = run.HealedAt ?? DateTimeOffset.UtcNow;

        // I5 first: everything must settle within the bound; the other invariants are read from the settled system.
        var (settled, jobs, recoveredAt) = await SettleAsync(run, sent);
        if (!settled.Ok)
        {
            violations.Add($"I5/I6: not settled within {profile.SettleTimeout.TotalSeconds:0} s of the fault healing: {settled.Why}");
        }

        if (ExitedProcesses() is { Length: > 0 } exited)
        {
            output.WriteLine(exited);
            Assert.Fail($"{run.Name}: a process of the system exited without being killed by the scenario, so nothing more can be checked:\n{exited}");
        }

        var inbox = await InboxRecords.ReadAsync(system.ConnectionString, sent);
        var unprocessed = CheckProcessed(acknowledged, inbox, violations);
        var lastProcessedAt = acknowledged.Select(id => inbox.GetValueOrDefault(id)?.ProcessedAt).Max();

        var requests = (await system.Simulator.GetRequestsAsync()).Where(r => r.JobId is not null && jobs.ContainsKey(r.JobId)).ToList();
        var dispatches = requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/dispatches", StringComparison.Ordinal)).ToList();
        var callbacks = (await system.Simulator.GetCallbacksAsync()).Where(c => c.JobId is not null && jobs.ContainsKey(c.JobId)).ToList();

        var lost = CheckNoLoss(run, acknowledged, inbox, jobs, violations);
        await CheckEventRecordsAsync(run, acknowledged, inbox, violations);
        var duplicates = await CheckOneJobPerEventAsync(run, sent, inbox, violations);
        CheckRuns(jobs, dispatches, callbacks, violations);
        CheckUsers(jobs, callbacks, violations);
        CheckExpectations(run, jobs, violations);

        if (run.AfterSettled is { } afterSettled)
        {
            await afterSettled();
        }

        var runsCreated = dispatches.Count(d => d.RunId is not null);
        var figures = new ScenarioFigures(
            run.Name, profile.Name, sent.Count, run.Deliveries.Requests, acknowledged.Count, run.Deliveries.AnswerCounts,
            jobs.Count, lost, duplicates, unprocessed,
            jobs.Values.Count(j => j.Status == "succeeded"), jobs.Values.Count(j => j.Status == "failed"),
            dispatches.Count, runsCreated,
            runsCreated - jobs.Values.Sum(j => dispatches.Where(d => d.JobId == j.JobId && d.RunId is not null)
                .Select(d => Attempt(d)).Distinct().Count()),
            callbacks.Count,
            Math.Round(Math.Max(0, (recoveredAt - healedAt).TotalSeconds), 1),
            unprocessed == 0 && lastProcessedAt is { } processedAt ? Math.Round(Math.Max(0, (processedAt - healedAt).TotalSeconds), 1) : null,
            Math.Round((DateTimeOffset.UtcNow - run.StartedAt).TotalSeconds, 1),
            violations.Count, run.Figures, ScenarioFigures.DescribeMachine(), DateTimeOffset.UtcNow);
        await figures.WriteAsync();
        output.WriteLine(figures.ToJson());
        foreach (var violation in violations.Take(50))
        {
            output.WriteLine(violation);
        }

        Assert.True(violations.Count == 0, $"{violations.Count} invariant violations in {run.Name}:\n{string.Join('\n', violations.Take(50))}");
        Assert.Equal(sent.Count, acknowledged.Count);
        return figures;
    }

    /// <summary>
    /// Waits until every acknowledged event is stored and processed and has its job, and every job of the scenario is
    /// settled; returns the grains' view.
    /// </summary>
    private async Task<(Observation Result, Dictionary<string, ApiJob> Jobs, DateTimeOffset At)> SettleAsync(ScenarioRun run, IReadOnlyList<string> sent)
    {
        var clock = Stopwatch.StartNew();
        var last = new Observation(false, "not observed yet");
        var jobs = new Dictionary<string, ApiJob>();
        while (clock.Elapsed < profile.SettleTimeout && ExitedProcesses().Length == 0)
        {
            try
            {
                (last, jobs) = await ObserveAsync(run, sent);
                if (last.Ok)
                {
                    return (last, jobs, DateTimeOffset.UtcNow);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or HttpRequestException or TimeoutException or TaskCanceledException or OrleansException)
            {
                last = new Observation(false, $"{ex.GetType().Name}: {ex.Message}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        // Not settled: read whatever jobs exist, so that the other invariants are still checked on them.
        try
        {
            jobs = await ReadJobsAsync((await ReadRowsAsync(sent)).Keys);
        }
        catch (Exception ex) when (ex is NpgsqlException or HttpRequestException or TaskCanceledException)
        {
            last = last with { Why = $"{last.Why}; the jobs could not be read either: {ex.Message}" };
        }

        return (last, jobs, DateTimeOffset.UtcNow);
    }

    private async Task<(Observation, Dictionary<string, ApiJob>)> ObserveAsync(ScenarioRun run, IReadOnlyList<string> sent)
    {
        // The inbox first, straight from the database: nothing below may carry out an event a backstop still owes.
        var acknowledged = run.Deliveries.AcknowledgedIds;
        var inbox = await InboxRecords.ReadAsync(system.ConnectionString, sent);
        var unstored = acknowledged.Where(id => !inbox.ContainsKey(id)).ToList();
        if (unstored.Count > 0)
        {
            return (new Observation(false, $"{unstored.Count} acknowledged events without an inbox row, e.g. {unstored[0]}"), []);
        }

        var unprocessed = acknowledged.Select(id => inbox[id]).Where(r => !r.Processed).ToList();
        if (unprocessed.Count > 0)
        {
            var r = unprocessed[0];
            return (new Observation(false, $"{unprocessed.Count} acknowledged events not processed, e.g. {r.EventId} ({r.Attempts} attempts, last error {r.LastError ?? "none"})"), []);
        }

        var rows = await ReadRowsAsync(sent);
        var missing = acknowledged.Where(id => !rows.ContainsKey(JobOf(id, inbox))).ToList();
        if (missing.Count > 0)
        {
            return (new Observation(false, $"{missing.Count} acknowledged events without a job row, e.g. {missing[0]}"), []);
        }

        var unsettled = rows.Values.Where(r => !Terminal.Contains(r.Status) && !run.Expected(r.JobId).Contains(r.Status)).ToList();
        if (unsettled.Count > 0)
        {
            return (new Observation(false, $"{unsettled.Count} jobs not ended: {Describe(unsettled.Take(5).Select(r => $"{r.JobId} {r.Status}"))}"), []);
        }

        var jobs = await ReadJobsAsync(rows.Keys);
        var disagree = jobs.Values.Where(j => rows[j.JobId].Status != j.Status || rows[j.JobId].Attempt != j.Attempt
            || rows[j.JobId].HistoryEntries != j.History.Count).ToList();
        if (disagree.Count > 0)
        {
            var j = disagree[0];
            return (new Observation(false, $"{disagree.Count} read-model rows differ from their grains, e.g. {j.JobId}: grain {j.Status} attempt {j.Attempt} "
                + $"{j.History.Count} entries, row {rows[j.JobId].Status} attempt {rows[j.JobId].Attempt} {rows[j.JobId].HistoryEntries} entries"), jobs);
        }

        var client = await system.ClientAsync();
        foreach (var user in jobs.Values.Select(j => j.UserId).Distinct())
        {
            var slot = await client.GetGrain<IUserGrain>(user).GetAsync();
            if (slot.CurrentJobId is not null || slot.WaitingJobIds.Count > 0)
            {
                return (new Observation(false, $"user {user}'s slot is still taken by {slot.CurrentJobId} with {slot.WaitingJobIds.Count} waiting"), jobs);
            }
        }

        return (new Observation(true, "settled"), jobs);
    }

    /// <summary>The gateway, a running silo or the simulator that exited on its own, with its last output; empty when none did.</summary>
    private string ExitedProcesses() => string.Join('\n', new[] { system.Gateway, system.Simulator.Process }.Concat(system.Silos)
        .Where(p => p.HasExited)
        .Select(p => $"{p.Name} exited with {p.ExitCode}; its last output:\n{p.Tail(60)}"));

    private async Task<Dictionary<string, JobRow>> ReadRowsAsync(IReadOnlyList<string> ids)
    {
        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT j.job_id, j.stripe_event_id, j.user_id, j.status, j.attempt,
                   (SELECT count(*) FROM job_history h WHERE h.job_id = j.job_id)
            FROM jobs j WHERE j.job_id = ANY(@ids)
            """, connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var rows = new Dictionary<string, JobRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new JobRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), (int)reader.GetInt64(5));
            rows[row.JobId] = row;
        }

        return rows;
    }

    private async Task<Dictionary<string, ApiJob>> ReadJobsAsync(IEnumerable<string> ids)
    {
        var jobs = new System.Collections.Concurrent.ConcurrentDictionary<string, ApiJob>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
        {
            using var response = await system.Http.GetAsync($"/api/jobs/{Uri.EscapeDataString(id)}", ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new HttpRequestException($"GET /api/jobs/{id} answered {(int)response.StatusCode}");
            }

            jobs[id] = (await response.Content.ReadFromJsonAsync<ApiJob>(Json, ct))!;
        });
        return new Dictionary<string, ApiJob>(jobs);
    }

    /// <summary>The job an event leads to: its own (the job id is the event id), or the first event's for a duplicate.</summary>
    private static string JobOf(string eventId, Dictionary<string, InboxRecord> inbox) =>
        inbox.GetValueOrDefault(eventId)?.DuplicateOf ?? eventId;

    /// <summary>I6: every acknowledged event is processed. Returns how many are not.</summary>
    private static int CheckProcessed(IReadOnlyList<string> acknowledged, Dictionary<string, InboxRecord> inbox, List<string> violations)
    {
        var unprocessed = 0;
        foreach (var id in acknowledged)
        {
            if (inbox.GetValueOrDefault(id) is not { } row)
            {
                unprocessed++;
                continue; // I1 reports the missing row.
            }

            if (!row.Processed)
            {
                unprocessed++;
                violations.Add($"I6: acknowledged event {id} ({row.Outcome}) is not processed: {row.Attempts} attempts, last error {row.LastError ?? "none"}");
            }
        }

        return unprocessed;
    }

    /// <summary>
    /// I1: an acknowledged event is never lost: it has its inbox row and its job (for a duplicate, the first event's job).
    /// Returns how many are lost.
    /// </summary>
    private static int CheckNoLoss(
        ScenarioRun run, IReadOnlyList<string> acknowledged, Dictionary<string, InboxRecord> inbox, Dictionary<string, ApiJob> jobs, List<string> violations)
    {
        var lost = 0;
        foreach (var id in acknowledged)
        {
            var answers = string.Join(',', run.Deliveries.Events.Single(e => e.EventId == id).Answers);
            if (!inbox.ContainsKey(id))
            {
                lost++;
                violations.Add($"I1: event {id} was acknowledged (answers {answers}) but has no inbox row");
            }
            else if (JobOf(id, inbox) is var jobId && !jobs.ContainsKey(jobId))
            {
                lost++;
                violations.Add(jobId == id
                    ? $"I1: event {id} was acknowledged (answers {answers}) but has no job"
                    : $"I1: event {id} was acknowledged (answers {answers}) as a duplicate of {jobId}, whose job does not exist");
            }
        }

        return lost;
    }

    /// <summary>
    /// I1 and I6 again, through the API (<c>GET /api/stripe/events/{id}</c>): an acknowledged event is recorded as having
    /// created its job and as processed. The one exception: an event whose checkout session the scenario also sent another
    /// Event object for may be recorded as <c>duplicate of</c> that other event, which created the session's job; it then
    /// has no job of its own.
    /// </summary>
    private async Task CheckEventRecordsAsync(
        ScenarioRun run, IReadOnlyList<string> acknowledged, Dictionary<string, InboxRecord> inbox, List<string> violations)
    {
        var sessionOf = run.Deliveries.Events.ToDictionary(e => e.EventId, e => e.CheckoutSessionId, StringComparer.Ordinal);
        foreach (var id in acknowledged)
        {
            using var response = await system.Http.GetAsync($"/api/stripe/events/{Uri.EscapeDataString(id)}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                violations.Add($"I1: acknowledged event {id} has no record: GET /api/stripe/events answered {(int)response.StatusCode}");
                continue;
            }

            var record = (await response.Content.ReadFromJsonAsync<ApiStripeEvent>(Json))!;
            if (!record.Processed)
            {
                violations.Add($"I6: acknowledged event {id} reads processed: false ({record.ProcessAttempts} attempts, last error {record.LastError ?? "none"})");
            }

            var sameSession = sessionOf[id] is { } session
                ? sessionOf.Where(e => e.Value == session && e.Key != id).Select(e => e.Key).ToHashSet(StringComparer.Ordinal)
                : [];
            if (record.Outcome == "job-created")
            {
                if (record.JobId != id)
                {
                    violations.Add($"I1: acknowledged event {id} is recorded as job-created with job {record.JobId}, not its own id");
                }
            }
            else if (record.DuplicateOf is { } first && sameSession.Contains(first) && record.Outcome == $"duplicate of {first}")
            {
                await CheckDuplicateAsync(id, first, record, inbox, violations);
            }
            else
            {
                violations.Add($"I1: acknowledged event {id} is recorded with outcome {record.Outcome}, not job-created"
                    + (sameSession.Count > 0 ? $" nor a duplicate of its session's other event {string.Join(", ", sameSession)}" : ""));
            }
        }
    }

    /// <summary>I1 and I2 for an event stored as a duplicate of the session's first: it names the first's job and has none of its own.</summary>
    private async Task CheckDuplicateAsync(
        string id, string first, ApiStripeEvent record, Dictionary<string, InboxRecord> inbox, List<string> violations)
    {
        if (record.JobId != first)
        {
            violations.Add($"I1: event {id} is a duplicate of {first} but names job {record.JobId}");
        }

        if (inbox.GetValueOrDefault(first) is not { CreatesJob: true, Outcome: "job-created" })
        {
            violations.Add($"I1: event {id} is a duplicate of {first}, which is not stored as the session's job-creating event");
        }

        using var own = await system.Http.GetAsync($"/api/jobs/{Uri.EscapeDataString(id)}");
        if (own.StatusCode != HttpStatusCode.NotFound)
        {
            violations.Add($"I2: event {id}, a duplicate of {first}, has a job of its own: GET /api/jobs/{id} answered {(int)own.StatusCode}");
        }
    }

    /// <summary>
    /// I2: one job per event and one job per checkout session, and no job that no sent event explains. Returns the jobs
    /// beyond those.
    /// </summary>
    private async Task<int> CheckOneJobPerEventAsync(
        ScenarioRun run, IReadOnlyList<string> sent, Dictionary<string, InboxRecord> inbox, List<string> violations)
    {
        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT job_id, stripe_event_id FROM jobs WHERE stripe_event_id = ANY(@sent) OR user_id = ANY(@users)", connection);
        command.Parameters.AddWithValue("sent", sent.ToArray());
        command.Parameters.AddWithValue("users", run.Users.ToArray());
        var rows = new List<(string JobId, string EventId)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var duplicates = 0;
        foreach (var group in rows.GroupBy(r => r.EventId).Where(g => g.Count() > 1))
        {
            duplicates += group.Count() - 1;
            violations.Add($"I2: event {group.Key} has {group.Count()} jobs: {Describe(group.Select(r => r.JobId))}");
        }

        var sentSet = sent.ToHashSet(StringComparer.Ordinal);
        foreach (var (jobId, eventId) in rows.Where(r => r.JobId != r.EventId || !sentSet.Contains(r.EventId)))
        {
            duplicates++;
            violations.Add($"I2: job {jobId} (event {eventId}) is not the one job of a sent event");
        }

        // One job per checkout session: by the sessions the scenario sent its events for, then by the inbox's own record of
        // each job's event, which would also show a job made from an event this scenario never sent.
        var sessionOf = run.Deliveries.Events.Where(e => e.CheckoutSessionId is not null)
            .ToDictionary(e => e.EventId, e => e.CheckoutSessionId!, StringComparer.Ordinal);
        var crowded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var session in rows.Where(r => sessionOf.ContainsKey(r.EventId)).GroupBy(r => sessionOf[r.EventId])
                     .Where(g => g.Select(r => r.JobId).Distinct().Count() > 1))
        {
            crowded.Add(session.Key);
            duplicates += session.Select(r => r.JobId).Distinct().Count() - 1;
            violations.Add($"I2: checkout session {session.Key} has {session.Select(r => r.JobId).Distinct().Count()} jobs: {Describe(session.Select(r => r.JobId).Distinct())}");
        }

        foreach (var (session, what, ids) in await CrowdedSessionsAsync(connection, sessionOf.Values.Distinct().ToArray()))
        {
            if (crowded.Add(session))
            {
                duplicates += ids.Length - 1;
            }

            violations.Add($"I2: checkout session {session} has {ids.Length} {what}: {Describe(ids)}");
        }

        foreach (var id in sent.Where(id => inbox.GetValueOrDefault(id) is { DuplicateOf: not null } && rows.Any(r => r.JobId == id)))
        {
            if (crowded.Add(sessionOf.GetValueOrDefault(id) ?? id))
            {
                duplicates++;
            }

            violations.Add($"I2: event {id} is stored as {inbox[id].Outcome} but has a job row of its own");
        }

        return duplicates;
    }

    /// <summary>
    /// The sessions among <paramref name="sessions"/> with more than one job (each job joined to its event's inbox row), or
    /// with more than one inbox row that claims the session's job.
    /// </summary>
    private static async Task<List<(string Session, string What, string[] Ids)>> CrowdedSessionsAsync(NpgsqlConnection connection, string[] sessions)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT i.checkout_session_id, 'jobs by the inbox rows of their events', array_agg(j.job_id ORDER BY j.job_id)
            FROM jobs j JOIN stripe_inbox i ON i.event_id = j.stripe_event_id
            WHERE i.checkout_session_id = ANY(@sessions)
            GROUP BY i.checkout_session_id HAVING count(*) > 1
            UNION ALL
            SELECT checkout_session_id, 'inbox rows that create its job', array_agg(event_id ORDER BY event_id)
            FROM stripe_inbox WHERE checkout_session_id = ANY(@sessions) AND creates_job
            GROUP BY checkout_session_id HAVING count(*) > 1
            """, connection);
        command.Parameters.AddWithValue("sessions", sessions);
        var crowded = new List<(string, string, string[])>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            crowded.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2)));
        }

        return crowded;
    }

    /// <summary>I3 and the dispatches' consistency with the attempts.</summary>
    private static void CheckRuns(
        Dictionary<string, ApiJob> jobs, List<SimulatorRequest> dispatches, List<SimulatorCallback> callbacks, List<string> violations)
    {
        foreach (var job in jobs.Values)
        {
            var mine = dispatches.Where(d => d.JobId == job.JobId).OrderBy(d => d.Sequence).ToList();
            var runs = mine.Where(d => d.RunId is not null).ToDictionary(d => d.RunId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Attempt);
            foreach (var d in mine.Where(d => Attempt(d) < 1 || Attempt(d) > job.Attempt))
            {
                violations.Add($"I3: job {job.JobId} (attempt {job.Attempt}) was dispatched with attempt {Attempt(d)}");
            }

            // Every attempt that left queued was dispatched (a run can only claim what a dispatch created).
            var attempt = 0;
            foreach (var entry in job.History)
            {
                if (entry.To == "queued" && entry.From != "queued")
                {
                    attempt++;
                }
                else if (entry.To is "dispatched" or "provisioning" && entry.From is not ("dispatched" or "provisioning")
                         && !runs.ContainsValue(attempt))
                {
                    violations.Add($"I3: job {job.JobId} attempt {attempt} moved to {entry.To} without a successful dispatch of that attempt");
                }

                if (entry.ActorName is { } actor && actor.StartsWith("run ", StringComparison.Ordinal) && !runs.ContainsKey(actor[4..]))
                {
                    violations.Add($"I3: job {job.JobId}'s history names {actor}, which no dispatch of this job created ({entry.Reason})");
                }
            }

            if (attempt != job.Attempt)
            {
                violations.Add($"I3: job {job.JobId} is on attempt {job.Attempt} but its history starts {attempt} attempts");
            }

            // No dispatch before the retry-after / rate-limit reset of the previous one.
            for (var i = 1; i < mine.Count; i++)
            {
                if (mine[i - 1].NotBefore is { } notBefore && mine[i].ReceivedAt < notBefore.AddMilliseconds(-50))
                {
                    violations.Add($"I3: job {job.JobId} was dispatched at {mine[i].ReceivedAt:HH:mm:ss.fff}, before {notBefore:HH:mm:ss.fff} that the rate limit set");
                }
            }

            var mineCallbacks = callbacks.Where(c => c.JobId == job.JobId && c.Outcome == "accepted").ToList();
            foreach (var claims in mineCallbacks.Where(c => c.Event == "claim").GroupBy(c => c.Attempt))
            {
                var claimers = claims.Select(c => c.RunId).Distinct().ToList();
                if (claimers.Count > 1)
                {
                    violations.Add($"I3: job {job.JobId} attempt {claims.Key} was claimed by {claimers.Count} runs: {Describe(claimers.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)))}");
                }
            }

            var completers = mineCallbacks.Where(c => c.Event == "complete").Select(c => c.RunId).Distinct().ToList();
            if (completers.Count > 1)
            {
                violations.Add($"I3: job {job.JobId} was completed by {completers.Count} runs");
            }

            if (job.History.Count(e => e.To == "succeeded") > 1)
            {
                violations.Add($"I3: job {job.JobId} succeeded more than once");
            }
        }
    }

    /// <summary>I4: one user's jobs are never in progress at the same time.</summary>
    private static void CheckUsers(Dictionary<string, ApiJob> jobs, List<SimulatorCallback> callbacks, List<string> violations)
    {
        foreach (var user in jobs.Values.GroupBy(j => j.UserId))
        {
            var intervals = new List<(string JobId, DateTimeOffset From, DateTimeOffset To)>();
            foreach (var job in user)
            {
                DateTimeOffset? start = null;
                foreach (var entry in job.History)
                {
                    if (start is null && InProgress.Contains(entry.To))
                    {
                        start = entry.At;
                    }
                    else if (start is not null && Terminal.Contains(entry.To))
                    {
                        intervals.Add((job.JobId, start.Value, entry.At));
                        start = null;
                    }
                }

                if (start is not null)
                {
                    intervals.Add((job.JobId, start.Value, DateTimeOffset.MaxValue));
                }
            }

            ReportOverlaps(user.Key, "in progress (job history)", intervals, violations);

            // The same from GitHub's side: from a run's accepted claim to its last callback that was applied. A callback
            // answered "duplicate" was applied earlier (a retry after a lost answer): its late answer is no new activity.
            var ids = user.Select(j => j.JobId).ToHashSet(StringComparer.Ordinal);
            var runs = callbacks.Where(c => c.Outcome == "accepted" && ids.Contains(c.JobId!) && !AnsweredDuplicate(c)).GroupBy(c => c.RunId)
                .Where(g => g.Any(c => c.Event == "claim"))
                .Select(g => (JobId: g.First().JobId!, From: g.Where(c => c.Event == "claim").Min(c => c.AnsweredAt ?? c.SentAt),
                    To: g.Max(c => c.SentAt)))
                .ToList();
            ReportOverlaps(user.Key, "provisioning (accepted run callbacks)", runs, violations);
        }
    }

    private static bool AnsweredDuplicate(SimulatorCallback callback)
    {
        if (string.IsNullOrEmpty(callback.Answer))
        {
            return false;
        }

        try
        {
            using var answer = JsonDocument.Parse(callback.Answer);
            return answer.RootElement.ValueKind == JsonValueKind.Object
                && answer.RootElement.TryGetProperty("duplicate", out var duplicate) && duplicate.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ReportOverlaps(
        string user, string what, List<(string JobId, DateTimeOffset From, DateTimeOffset To)> intervals, List<string> violations)
    {
        var ordered = intervals.OrderBy(i => i.From).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var (previous, current) = (ordered[i - 1], ordered[i]);
            if (previous.JobId != current.JobId && current.From < previous.To)
            {
                violations.Add($"I4: user {user} had two jobs {what} at once: {previous.JobId} {previous.From:HH:mm:ss.fff}-{previous.To:HH:mm:ss.fff} "
                    + $"and {current.JobId} from {current.From:HH:mm:ss.fff}");
            }
        }
    }

    /// <summary>I5's expected ends, and the retries a scenario forced.</summary>
    private static void CheckExpectations(ScenarioRun run, Dictionary<string, ApiJob> jobs, List<string> violations)
    {
        foreach (var job in jobs.Values)
        {
            if (!run.Expected(job.JobId).Contains(job.Status))
            {
                violations.Add($"I5: job {job.JobId} ended {job.Status} (attempt {job.Attempt}, last error {job.LastError}), expected {string.Join(" or ", run.Expected(job.JobId))}");
            }

            if (run.ExpectRetried.Contains(job.JobId) && job.Attempt < 2)
            {
                violations.Add($"I5: job {job.JobId} should have needed a new attempt, but ended {job.Status} on attempt {job.Attempt}");
            }
        }
    }

    private static int Attempt(SimulatorRequest dispatch) =>
        dispatch.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("inputs", out var inputs)
        && inputs.TryGetProperty("attempt", out var a) && int.TryParse(a.GetString(), out var n) ? n : -1;

    private static string Describe(IEnumerable<string> items) => string.Join(", ", items);

    private sealed record Observation(bool Ok, string Why);

    private sealed record JobRow(string JobId, string StripeEventId, string UserId, string Status, int Attempt, int HistoryEntries);
}

/// <summary>A Stripe event as <c>GET /api/stripe/events/{eventId}</c> shows it (the fields the checker reads).</summary>
public sealed record ApiStripeEvent(
    string EventId, string Outcome, string? JobId, string? DuplicateOf, bool Processed, DateTimeOffset? ProcessedAt, int ProcessAttempts, string? LastError);

/// <summary>A job as <c>GET /api/jobs/{jobId}</c> shows it (the fields the checker reads).</summary>
public sealed record ApiJob(
    string JobId, string StripeEventId, string UserId, string Status, int Attempt, string? RunId, string? LastError,
    IReadOnlyList<ApiHistoryEntry> History);

public sealed record ApiHistoryEntry(DateTimeOffset At, string? From, string To, string Actor, string Reason, string? ActorName);
