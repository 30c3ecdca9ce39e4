namespace Provisioning.Diagnostics;

/// <summary>Which silo answered a probe, and when.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Diagnostics.ProbeAnswer")]
public sealed record ProbeAnswer(
    [property: Id(0)] string Silo,
    [property: Id(1)] DateTimeOffset At);
