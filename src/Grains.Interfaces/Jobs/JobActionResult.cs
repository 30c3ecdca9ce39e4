namespace Provisioning.Jobs;

/// <summary>The answer to a callback, run event or operator action: the outcome, the job as it is now, and why if refused.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Jobs.JobActionResult")]
public sealed record JobActionResult(
    [property: Id(0)] JobActionOutcome Outcome,
    [property: Id(1)] JobSnapshot? Job,
    [property: Id(2)] string? Reason);
