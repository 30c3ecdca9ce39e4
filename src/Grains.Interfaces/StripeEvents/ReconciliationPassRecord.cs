namespace Provisioning.StripeEvents;

/// <summary>
/// One reconciliation pass: when it ran, what started it (<c>reminder</c>, <c>operator</c>, <c>retry</c>), the window of
/// event creation times it listed, how many events Stripe listed, how many the inbox already held and how many it
/// recovered, whether it continued an interrupted pass, the webhook endpoint's status if read, and its error (null when
/// it completed). <see cref="RetryAfter"/>: how long it backs off before the next try, after an error.
/// </summary>
[GenerateSerializer, Immutable, Alias("Provisioning.StripeEvents.ReconciliationPassRecord")]
public sealed record ReconciliationPassRecord(
    [property: Id(0)] long PassId,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset? FinishedAt,
    [property: Id(3)] string Trigger,
    [property: Id(4)] DateTimeOffset Since,
    [property: Id(5)] DateTimeOffset Until,
    [property: Id(6)] int Listed,
    [property: Id(7)] int AlreadyPresent,
    [property: Id(8)] int Recovered,
    [property: Id(9)] bool Resumed,
    [property: Id(10)] string? EndpointStatus,
    [property: Id(11)] string? Error,
    [property: Id(12)] TimeSpan? RetryAfter);
