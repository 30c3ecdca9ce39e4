namespace Provisioning.Diagnostics;

/// <summary>How many reminder ticks a probe has received, and the silos that delivered them.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Diagnostics.ReminderProbeReport")]
public sealed record ReminderProbeReport(
    [property: Id(0)] int Ticks,
    [property: Id(1)] DateTimeOffset? LastTickAt,
    [property: Id(2)] string? LastSilo,
    [property: Id(3)] IReadOnlyList<string> Silos);
