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

    /// <summary>Cancels a job that is not yet terminal and frees the user's slot. Returns null if no job has this id.</summary>
    [Alias("CancelAsync")]
    Task<JobSnapshot?> CancelAsync(JobActor actor, string reason);
}
