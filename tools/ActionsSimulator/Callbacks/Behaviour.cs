namespace Provisioning.ActionsSimulator.Callbacks;

/// <summary>
/// A queued run behaviour with its defaults filled in. <see cref="Remaining"/> is how many more runs it applies to,
/// or null for one that stays until cleared (<see cref="Times"/> 0).
/// </summary>
public sealed record Behaviour(
    long Id,
    string Kind,
    int Times,
    int? Remaining,
    string? JobId,
    int? Milliseconds,
    bool? Retryable,
    string? Message,
    int? Attempt)
{
    /// <summary>Whether this behaviour applies to a run dispatched for this job.</summary>
    public bool Matches(string? jobId) => JobId is null || string.Equals(JobId, jobId, StringComparison.Ordinal);
}
