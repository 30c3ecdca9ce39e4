namespace Provisioning.Jobs;

/// <summary>One transition of a job: when, from which status (none for its creation) to which, who did it and why.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Jobs.JobHistoryEntry")]
public sealed record JobHistoryEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] JobStatus? From,
    [property: Id(2)] JobStatus To,
    [property: Id(3)] JobActor Actor,
    [property: Id(4)] string Reason);
