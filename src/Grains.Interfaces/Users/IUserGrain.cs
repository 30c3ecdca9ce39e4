namespace Provisioning.Users;

/// <summary>Admits at most one in-progress job per user; later jobs wait, first in first out, and start by themselves.</summary>
[Alias("Provisioning.Users.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Admits the job if the slot is free, else queues it. Idempotent: asking again gives the same answer.</summary>
    [Alias("AdmitAsync")]
    Task<Admission> AdmitAsync(string jobId);

    /// <summary>The job ended (or was cancelled while waiting): frees its place and starts the next waiting job. Idempotent.</summary>
    [Alias("ReleaseAsync")]
    Task ReleaseAsync(string jobId);

    /// <summary>A job promoted from the waiting list confirms that it has started. Idempotent.</summary>
    [Alias("ConfirmStartedAsync")]
    Task ConfirmStartedAsync(string jobId);

    [Alias("GetAsync")]
    Task<UserSlot> GetAsync();
}
