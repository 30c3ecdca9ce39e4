namespace Provisioning.StripeEvents;

/// <summary>
/// The reconciler as operators see it: <see cref="Enabled"/> (false without <c>Stripe:ApiKey</c>, with
/// <see cref="OffReason"/>), the interval, the checkpoint (events created before it were reconciled), the webhook endpoint's
/// id and last known status, and the latest passes, newest first.
/// </summary>
[GenerateSerializer, Immutable, Alias("Provisioning.StripeEvents.ReconciliationStatus")]
public sealed record ReconciliationStatus(
    [property: Id(0)] bool Enabled,
    [property: Id(1)] string? OffReason,
    [property: Id(2)] TimeSpan Interval,
    [property: Id(3)] DateTimeOffset? Checkpoint,
    [property: Id(4)] string? WebhookEndpointId,
    [property: Id(5)] string? EndpointStatus,
    [property: Id(6)] IReadOnlyList<ReconciliationPassRecord> Passes);
