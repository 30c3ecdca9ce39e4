using Provisioning.StripeEvents;

namespace Provisioning.Grains.StripeEvents;

[GenerateSerializer]
public sealed class StripeEventState
{
    /// <summary>Null until the event has been routed and its outcome is durable.</summary>
    [Id(0)] public StripeEventRecord? Record { get; set; }
}
