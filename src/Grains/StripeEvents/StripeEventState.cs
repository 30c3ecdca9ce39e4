using Provisioning.StripeEvents;

namespace Provisioning.Grains.StripeEvents;

[GenerateSerializer]
public sealed class StripeEventState
{
    /// <summary>Null until the first delivery's record is durable (written alongside the event's route).</summary>
    [Id(0)] public StripeEventRecord? Record { get; set; }
}
