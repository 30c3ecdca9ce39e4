namespace Provisioning.Jobs;

/// <summary>
/// One transition of a job: when, from which status (none for its creation) to which, who did it and why.
/// <see cref="ActorName"/> names the operator (their key's name) or the run that did it, when known.
/// </summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Jobs.JobHistoryEntry")]
public sealed record JobHistoryEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] JobStatus? From,
    [property: Id(2)] JobStatus To,
    [property: Id(3)] JobActor Actor,
    [property: Id(4)] string Reason,
    [property: Id(5)] string? ActorName = null);
