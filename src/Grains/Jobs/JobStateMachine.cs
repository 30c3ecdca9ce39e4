using Provisioning.Jobs;

namespace Provisioning.Grains.Jobs;

/// <summary>
/// The job's statuses and the moves between them, in one place. Pure: it changes a <see cref="JobState"/> in memory
/// and appends the history entry; the grain persists the result and performs the side effects.
/// </summary>
public static class JobStateMachine
{
    private static readonly Dictionary<JobStatus, JobStatus[]> Moves = new()
    {
        [JobStatus.Waiting] = [JobStatus.Queued, JobStatus.Cancelled],
        // Queued to provisioning: a run claims the job while its dispatch answer is still missing (lost or late).
        [JobStatus.Queued] = [JobStatus.Dispatched, JobStatus.Provisioning, JobStatus.Failed, JobStatus.Cancelled],
        [JobStatus.Dispatched] = [JobStatus.Provisioning, JobStatus.Queued, JobStatus.Failed, JobStatus.Cancelled],
        [JobStatus.Provisioning] = [JobStatus.Succeeded, JobStatus.Queued, JobStatus.Failed, JobStatus.Cancelled],
        [JobStatus.Succeeded] = [],
        // An operator's retry: through the user's slot, so to queued or waiting.
        [JobStatus.Failed] = [JobStatus.Queued, JobStatus.Waiting],
        [JobStatus.Cancelled] = [JobStatus.Queued, JobStatus.Waiting],
    };

    public static bool IsTerminal(JobStatus status) =>
        status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    public static bool CanMove(JobStatus from, JobStatus to) => Moves[from].Contains(to);

    /// <summary>Starts a job's life: <c>queued</c> if the user's slot admitted it, else <c>waiting</c>.</summary>
    public static void Create(JobState state, NewJob job, bool admitted, DateTimeOffset now)
    {
        if (state.Created)
        {
            throw new InvalidOperationException($"Job {job.JobId} already exists.");
        }

        state.Created = true;
        state.StripeEventId = job.JobId;
        state.UserId = job.UserId;
        state.AgentId = job.AgentId;
        state.Region = job.Region;
        state.CheckoutSessionId = job.CheckoutSessionId;
        state.PaidAt = job.PaidAt;
        state.CreatedAt = now;
        var status = admitted ? JobStatus.Queued : JobStatus.Waiting;
        var reason = admitted
            ? $"paid checkout {job.CheckoutSessionId ?? job.JobId}"
            : $"paid checkout {job.CheckoutSessionId ?? job.JobId}; user {job.UserId} has a job in progress";
        if (admitted)
        {
            StartAttempt(state, now);
        }

        Append(state, null, status, JobActor.Stripe, reason, now);
    }

    /// <summary>A dispatch request is about to be sent: counted and timed before it leaves.</summary>
    public static void BeginDispatchTry(JobState state, DateTimeOffset now)
    {
        state.DispatchTries++;
        state.DispatchStartedAt = now;
    }

    /// <summary>GitHub accepted the dispatch: the job is <c>dispatched</c>, with the run's details when known.</summary>
    public static bool RecordDispatched(JobState state, long? runId, string? runApiUrl, string? runHtmlUrl, DateTimeOffset now)
    {
        var run = runId is null ? "run id not reported" : $"run {runId}";
        if (!TryMove(state, JobStatus.Dispatched, JobActor.System,
                $"workflow dispatched (attempt {state.Attempt}, request {state.DispatchTries}; {run})", now))
        {
            return false;
        }

        state.RunId = runId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        state.RunApiUrl = runApiUrl;
        state.RunUrl = runHtmlUrl ?? runApiUrl;
        state.NextDispatchAt = null;
        state.DispatchedAt = now;
        state.LastError = null;
        return true;
    }

    /// <summary>A dispatch request failed and will be retried at <paramref name="nextAt"/>: recorded in history, status unchanged.</summary>
    public static void RecordDispatchRetry(JobState state, string error, DateTimeOffset nextAt, DateTimeOffset now, bool rateLimited = false)
    {
        state.LastError = error;
        state.NextDispatchAt = nextAt;
        var wait = nextAt - now;
        // The read model's figures (db/0010_job_stats.sql) tell a rate limit from a failure by these words.
        Append(state, state.Status, state.Status, JobActor.System,
            $"dispatch request {state.DispatchTries} of attempt {state.Attempt} {(rateLimited ? "rate limited" : "failed")}: {error}; next request in {wait.TotalSeconds:0.#} s", now);
    }

    /// <summary>The job failed (dispatch impossible or exhausted, or the run failed): <c>failed</c> with an error an operator can act on.</summary>
    public static bool Fail(JobState state, JobActor actor, string error, DateTimeOffset now, string? actorName = null)
    {
        if (!TryMove(state, JobStatus.Failed, actor, error, now, actorName))
        {
            return false;
        }

        state.LastError = error;
        state.NextDispatchAt = null;
        return true;
    }

    /// <summary>Moves the job to <paramref name="to"/> if that move is allowed from its status; false (and nothing changed) if not.</summary>
    public static bool TryMove(JobState state, JobStatus to, JobActor actor, string reason, DateTimeOffset now, string? actorName = null)
    {
        if (!state.Created || !CanMove(state.Status, to))
        {
            return false;
        }

        if (to == JobStatus.Queued)
        {
            StartAttempt(state, now);
        }

        Append(state, state.Status, to, actor, reason, now, actorName);
        if (IsTerminal(to))
        {
            state.SlotReleasePending = true;
        }

        return true;
    }

    /// <summary>A new attempt: a new number, a fresh dispatch budget, due now, no run yet.</summary>
    private static void StartAttempt(JobState state, DateTimeOffset now)
    {
        state.Attempt++;
        state.DispatchTries = 0;
        state.NextDispatchAt = now;
        state.DispatchStartedAt = null;
        state.RunId = null;
        state.RunUrl = null;
        state.RunApiUrl = null;
        state.RunAttempt = null;
        state.ClaimedBy = null;
        state.DispatchedAt = null;
        state.LastHeartbeatAt = null;
    }

    /// <summary>Why an operator may not cancel the job now (it has ended); null when they may.</summary>
    public static string? WhyNotCancel(JobState state) => IsTerminal(state.Status) ? $"the job is already {JobNames.Of(state.Status)}" : null;

    /// <summary>Why an operator may not retry the job now: only a failed or cancelled job may, once its user's slot is free.</summary>
    public static string? WhyNotRetry(JobState state) => state switch
    {
        { Status: not (JobStatus.Failed or JobStatus.Cancelled) } => $"only a failed or cancelled job can be retried; this one is {JobNames.Of(state.Status)}",
        { SlotReleasePending: true } => "the job is still freeing its user's slot; retry in a moment",
        _ => null,
    };

    /// <summary>An operator's retry: a new attempt, <c>queued</c> if the user's slot admitted it, else <c>waiting</c>.</summary>
    public static bool Retry(JobState state, bool admitted, string actorName, string reason, DateTimeOffset now) =>
        TryMove(state, admitted ? JobStatus.Queued : JobStatus.Waiting, JobActor.Operator,
            admitted ? reason : $"{reason}; user {state.UserId} has a job in progress", now, actorName);

    /// <summary>
    /// The attempt ended without success but may be retried: a new attempt (queued) while attempts remain, else failed.
    /// Returns true when a new attempt starts.
    /// </summary>
    public static bool RetryOrFail(JobState state, JobActor actor, string why, int maxAttempts, DateTimeOffset now, string? actorName = null)
    {
        if (state.Attempt < maxAttempts
            && TryMove(state, JobStatus.Queued, actor, $"attempt {state.Attempt} ended: {why}; retrying as attempt {state.Attempt + 1}", now, actorName))
        {
            state.LastError = why;
            return true;
        }

        Fail(state, actor, state.Attempt >= maxAttempts ? $"{why} (attempt {state.Attempt} of {maxAttempts})" : why, now, actorName);
        return false;
    }

    private static string Name(JobStatus status) => JobNames.Of(status);

    private static void Append(JobState state, JobStatus? from, JobStatus to, JobActor actor, string reason, DateTimeOffset now, string? actorName = null)
    {
        state.Status = to;
        state.UpdatedAt = now;
        state.History.Add(new JobHistoryEntry(now, from, to, actor, reason, actorName));
        state.Version++;
    }
}
