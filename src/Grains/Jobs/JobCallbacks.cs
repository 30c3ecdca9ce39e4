using Provisioning.Jobs;

namespace Provisioning.Grains.Jobs;

/// <summary>
/// What a workflow run's callbacks and GitHub's run events may do to a job. Pure, like <see cref="JobStateMachine"/>:
/// it decides and changes the state in memory; the grain persists it and performs the side effects.
/// </summary>
public static class JobCallbacks
{
    private const int RememberedMessageIds = 200;

    /// <summary>What the grain must do after a callback or run event changed the state.</summary>
    public enum Effect
    {
        None,
        Saved,
        NewAttempt,
        Ended,
    }

    /// <summary>What a callback or run event decided: the answer its sender gets, and what the grain must do next.</summary>
    public readonly record struct Decision(JobActionOutcome Outcome, string? Reason, Effect Effect)
    {
        public static Decision Duplicate { get; } = new(JobActionOutcome.Duplicate, null, Effect.None);

        public static Decision Done(Effect effect) => new(JobActionOutcome.Done, null, effect);

        public static Decision Conflict(string reason) => new(JobActionOutcome.Conflict, reason, Effect.None);

        public static Decision Ignored(string reason) => new(JobActionOutcome.Ignored, reason, Effect.None);
    }

    public static Decision Apply(JobState job, WorkflowCallback callback, JobsOptions options, DateTimeOffset now)
    {
        if (job.SeenMessageIds.Contains(callback.CallbackId))
        {
            return Decision.Duplicate;
        }

        if (callback.Attempt != job.Attempt)
        {
            return Decision.Conflict($"attempt {callback.Attempt} is stale: the job is on attempt {job.Attempt}");
        }

        if (JobStateMachine.IsTerminal(job.Status))
        {
            return Decision.Conflict($"the job is already {JobNames.Of(job.Status)}");
        }

        var run = callback.RunId ?? "unknown run";
        var result = callback.Event switch
        {
            CallbackEvent.Claim => Claim(job, callback, run, now),
            CallbackEvent.Heartbeat => Heartbeat(job, callback, now),
            CallbackEvent.Complete => Complete(job, callback, run, now),
            CallbackEvent.Fail => FailRun(job, callback, run, options, now),
            _ => Decision.Conflict($"unknown event {callback.Event}"),
        };
        if (result.Outcome == JobActionOutcome.Done)
        {
            // Remembered durably even when nothing else changed, so a replay after a deactivation is still a duplicate.
            Remember(job, callback.CallbackId);
            result = result.Effect == Effect.None ? result with { Effect = Effect.Saved } : result;
        }

        return result;
    }

    /// <summary>GitHub says a run completed. Only a failed end of the current, unfinished run changes anything.</summary>
    public static Decision RunCompleted(
        JobState job, string runId, string conclusion, string deliveryId, JobsOptions options, DateTimeOffset now)
    {
        if (job.SeenMessageIds.Contains(deliveryId))
        {
            return Decision.Duplicate;
        }

        var current = job.ClaimedBy ?? job.RunId;
        if (current != runId || job.Status is not (JobStatus.Dispatched or JobStatus.Provisioning))
        {
            return Decision.Ignored($"run {runId} is not the current run of a live attempt");
        }

        if (conclusion is not ("failure" or "cancelled" or "timed_out"))
        {
            return Decision.Ignored($"conclusion {conclusion} needs no action");
        }

        Remember(job, deliveryId);
        var retried = JobStateMachine.RetryOrFail(job, JobActor.Github,
            $"GitHub reports run {runId} {conclusion.Replace('_', ' ')} before it reported an end", options.MaxAttempts, now, $"run {runId}");
        return Decision.Done(retried ? Effect.NewAttempt : Effect.Ended);
    }

    /// <summary>
    /// When the watchdog must look at the current attempt next: the dispatch plus the claim timeout while it is not claimed,
    /// the last heartbeat plus the heartbeat timeout while it provisions; null when no run is being watched.
    /// </summary>
    public static DateTimeOffset? WatchDeadline(JobState job, JobsOptions options) => job switch
    {
        { Status: JobStatus.Dispatched, DispatchedAt: { } at } => at + options.ClaimTimeout,
        { Status: JobStatus.Provisioning, LastHeartbeatAt: { } beat } => beat + options.HeartbeatTimeout,
        _ => null,
    };

    /// <summary>The watchdog: an attempt not claimed in time, or silent for too long, is stalled. Null if it is fine.</summary>
    public static Effect? Watch(JobState job, JobsOptions options, DateTimeOffset now)
    {
        string? stalled = WatchDeadline(job, options) is { } deadline && now >= deadline
            ? job.Status == JobStatus.Dispatched
                ? $"stalled: no claim within {Describe(options.ClaimTimeout)} of the dispatch"
                : $"stalled: no heartbeat for {Describe(options.HeartbeatTimeout)}"
            : null;
        if (stalled is null)
        {
            return null;
        }

        return JobStateMachine.RetryOrFail(job, JobActor.System, stalled, options.MaxAttempts, now) ? Effect.NewAttempt : Effect.Ended;
    }

    private static Decision Claim(JobState job, WorkflowCallback callback, string run, DateTimeOffset now)
    {
        if (job.Status == JobStatus.Provisioning)
        {
            return job.ClaimedBy == callback.RunId
                ? Decision.Done(Effect.None)
                : Decision.Conflict($"attempt {job.Attempt} is already claimed by run {job.ClaimedBy ?? "unknown"}");
        }

        if (!JobStateMachine.TryMove(job, JobStatus.Provisioning, JobActor.Github,
                $"run {run} claimed attempt {job.Attempt}", now, $"run {run}"))
        {
            return Decision.Conflict($"a {JobNames.Of(job.Status)} job cannot be claimed");
        }

        job.ClaimedBy = callback.RunId;
        job.RunId = callback.RunId ?? job.RunId;
        job.RunAttempt = callback.RunAttempt;
        job.RunUrl = callback.RunUrl ?? job.RunUrl;
        job.LastHeartbeatAt = now;
        job.NextDispatchAt = null;
        return Decision.Done(Effect.Saved);
    }

    private static Decision Heartbeat(JobState job, WorkflowCallback callback, DateTimeOffset now)
    {
        if (job.Status != JobStatus.Provisioning)
        {
            return Decision.Conflict($"a {JobNames.Of(job.Status)} job takes no heartbeat: claim it first");
        }

        if (job.ClaimedBy != callback.RunId)
        {
            return Decision.Conflict($"attempt {job.Attempt} is claimed by run {job.ClaimedBy ?? "unknown"}, not {callback.RunId ?? "an unnamed run"}");
        }

        job.LastHeartbeatAt = now;
        job.UpdatedAt = now;
        job.Version++;
        return Decision.Done(Effect.Saved);
    }

    private static Decision Complete(JobState job, WorkflowCallback callback, string run, DateTimeOffset now)
    {
        if (job.Status != JobStatus.Provisioning || job.ClaimedBy != callback.RunId)
        {
            return Decision.Conflict(job.Status == JobStatus.Provisioning
                ? $"attempt {job.Attempt} is claimed by run {job.ClaimedBy ?? "unknown"}"
                : $"a {JobNames.Of(job.Status)} job cannot complete: claim it first");
        }

        job.OutputJson = callback.OutputJson;
        job.LastError = null;
        JobStateMachine.TryMove(job, JobStatus.Succeeded, JobActor.Github,
            callback.Message is { Length: > 0 } message ? $"run {run} completed: {message}" : $"run {run} completed", now, $"run {run}");
        return Decision.Done(Effect.Ended);
    }

    private static Decision FailRun(JobState job, WorkflowCallback callback, string run, JobsOptions options, DateTimeOffset now)
    {
        var claimedByOther = job.Status == JobStatus.Provisioning && job.ClaimedBy != callback.RunId;
        if (claimedByOther || job.Status is not (JobStatus.Provisioning or JobStatus.Dispatched or JobStatus.Queued))
        {
            return Decision.Conflict(claimedByOther
                ? $"attempt {job.Attempt} is claimed by run {job.ClaimedBy ?? "unknown"}"
                : $"a {JobNames.Of(job.Status)} job cannot fail");
        }

        var why = $"run {run} failed: {(string.IsNullOrWhiteSpace(callback.Message) ? "no message" : callback.Message)}";
        if (callback.Retryable)
        {
            var retried = JobStateMachine.RetryOrFail(job, JobActor.Github, why, options.MaxAttempts, now, $"run {run}");
            return Decision.Done(retried ? Effect.NewAttempt : Effect.Ended);
        }

        JobStateMachine.Fail(job, JobActor.Github, why, now, $"run {run}");
        return Decision.Done(Effect.Ended);
    }

    private static void Remember(JobState job, string id)
    {
        job.SeenMessageIds.Add(id);
        if (job.SeenMessageIds.Count > RememberedMessageIds)
        {
            job.SeenMessageIds.RemoveRange(0, job.SeenMessageIds.Count - RememberedMessageIds);
        }
    }

    private static string Name(JobStatus status) => JobNames.Of(status);

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes:0} min" : $"{span.TotalSeconds:0.#} s";
}
