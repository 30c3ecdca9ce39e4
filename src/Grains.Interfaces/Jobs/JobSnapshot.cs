namespace Provisioning.Jobs;

/// <summary>
/// A job as it is now, with its whole history. <see cref="Version"/> grows by one with every change.
/// <see cref="OutputJson"/> is what the succeeded run reported (a JSON object), <see cref="LastHeartbeatAt"/> the
/// claiming run's last sign of life. <see cref="PaidAt"/> is when Stripe created the paid checkout's event, which can come
/// well before the job (a delivery retried by Stripe, or recovered by reconciliation).
/// </summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Jobs.JobSnapshot")]
public sealed record JobSnapshot(
    [property: Id(0)] string JobId,
    [property: Id(1)] string StripeEventId,
    [property: Id(2)] string UserId,
    [property: Id(3)] string AgentId,
    [property: Id(4)] string Region,
    [property: Id(5)] JobStatus Status,
    [property: Id(6)] int Attempt,
    [property: Id(7)] string? RunId,
    [property: Id(8)] string? RunUrl,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset UpdatedAt,
    [property: Id(11)] string? LastError,
    [property: Id(12)] IReadOnlyList<JobHistoryEntry> History,
    [property: Id(13)] long Version,
    [property: Id(14)] string? OutputJson = null,
    [property: Id(15)] DateTimeOffset? LastHeartbeatAt = null,
    [property: Id(16)] int? RunAttempt = null,
    [property: Id(17)] DateTimeOffset? PaidAt = null);
