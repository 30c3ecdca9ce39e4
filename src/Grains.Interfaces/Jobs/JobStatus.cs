namespace Provisioning.Jobs;

/// <summary>
/// Where a provisioning job is. <c>Waiting</c> (the user has another job in progress) -> <c>Queued</c> ->
/// <c>Dispatched</c> -> <c>Provisioning</c> -> <c>Succeeded</c> | <c>Failed</c>; <c>Cancelled</c> from any non-terminal status.
/// Serialized in JSON as the lowercase name. Never renumber: the values are persisted.
/// </summary>
public enum JobStatus
{
    Waiting = 0,
    Queued = 1,
    Dispatched = 2,
    Provisioning = 3,
    Succeeded = 4,
    Failed = 5,
    Cancelled = 6,
}
