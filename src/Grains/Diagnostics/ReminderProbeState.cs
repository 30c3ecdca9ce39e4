namespace Provisioning.Grains.Diagnostics;

[GenerateSerializer]
public sealed class ReminderProbeState
{
    [Id(0)] public int Ticks { get; set; }
    [Id(1)] public DateTimeOffset? LastTickAt { get; set; }
    [Id(2)] public string? LastSilo { get; set; }
    [Id(3)] public List<string> Silos { get; set; } = [];
}
