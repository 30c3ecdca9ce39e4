namespace Provisioning.ActionsSimulator.Faults;

/// <summary>
/// A queued fault with its defaults filled in. <see cref="Remaining"/> is how many more matching requests it applies to
/// (after this one, in the request log), or null for a fault that stays until cleared (<see cref="Times"/> 0).
/// </summary>
public sealed record Fault(
    long Id,
    string Kind,
    int Times,
    int? Remaining,
    string? JobId,
    int? Status,
    int? Seconds,
    int? Milliseconds,
    string? Message)
{
    /// <summary>Whether this fault applies to a dispatch request with these facts.</summary>
    public bool Matches(DispatchFacts request) =>
        (JobId is null || string.Equals(JobId, request.JobId, StringComparison.Ordinal)) && Kind switch
        {
            FaultKinds.RejectRunDetails => request.HasRunDetailsKey,
            FaultKinds.IgnoreRunDetails => request.AsksForRunDetails,
            _ => true,
        };
}
