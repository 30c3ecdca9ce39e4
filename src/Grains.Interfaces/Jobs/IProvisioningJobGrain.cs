using Orleans.Concurrency;

namespace Provisioning.Jobs;

/// <summary>The one durable provisioning job of a paid checkout, keyed by the checkout's Stripe event id.</summary>
[Alias("Provisioning.Jobs.IProvisioningJobGrain")]
public interface IProvisioningJobGrain : IGrainWithStringKey
{
    /// <summary>Creates the job once (later calls return it unchanged), admitted by the user's slot as queued or waiting.</summary>
    [Alias("CreateAsync")]
    Task<JobSnapshot> CreateAsync(NewJob job);

    /// <summary>The job, or null if no job has this id.</summary>
    [Alias("GetAsync"), AlwaysInterleave]
    Task<JobSnapshot?> GetAsync();

    /// <summary>The user's slot is this job's now: a waiting job becomes queued. Idempotent.</summary>
    [Alias("StartAsync"), OneWay]
    Task StartAsync();

    /// <summary>
    /// Cancels a job that is not yet terminal and frees the user's slot; its run's next callback gets a conflict.
    /// Conflict if the job is already terminal.
    /// </summary>
    [Alias("CancelAsync")]
    Task<JobActionResult> CancelAsync(JobActor actor, string reason, string? actorName = null);

    /// <summary>An operator's retry of a <c>failed</c> or <c>cancelled</c> job: a new attempt, through the user's slot. Conflict otherwise.</summary>
    [Alias("RetryAsync")]
    Task<JobActionResult> RetryAsync(string actorName, string reason);

    /// <summary>
    /// A workflow run reports: <c>claim</c> moves <c>dispatched</c> to <c>provisioning</c>; <c>heartbeat</c> (the claiming run only)
    /// records the time; <c>complete</c> ends <c>succeeded</c>; <c>fail</c> ends <c>failed</c>, or starts a new attempt when
    /// retryable and attempts remain. Only the current attempt's run is heard: anything else is a conflict.
    /// </summary>
    [Alias("HandleCallbackAsync")]
    Task<JobActionResult> HandleCallbackAsync(WorkflowCallback callback);

    /// <summary>
    /// GitHub reports that a workflow run completed (<c>workflow_run</c> webhook, de-duplicated by <paramref name="deliveryId"/>).
    /// If it is the current run and it ended <c>failure</c>, <c>cancelled</c> or <c>timed_out</c> without reporting, the attempt
    /// ends now (retry or <c>failed</c>). Anything else is ignored.
    /// </summary>
    [Alias("HandleRunCompletedAsync")]
    Task<JobActionResult> HandleRunCompletedAsync(string runId, string conclusion, string deliveryId);
}
