using Provisioning.Jobs;

namespace Provisioning.Gateway.Attention;

/// <summary>
/// The body of <c>GET /api/attention</c>: everything that needs a person, and <c>total</c>, the number the pages show. Lists
/// hold at most <see cref="AttentionQuery.ListLimit"/> jobs each; <c>more</c> says there are others.
/// </summary>
public sealed record AttentionResponse(
    long Total, FailedAttention Failed, JobsAttention Waiting, JobsAttention SilentRuns, JobsAttention RateLimited,
    EndpointAttention StripeEndpoint);

/// <summary>
/// Failed jobs: how many there are, and the most recent <c>sampled</c> of them grouped by their last error, largest group
/// first, each with its newest job ids.
/// </summary>
public sealed record FailedAttention(long Jobs, int Sampled, IReadOnlyList<FailureGroup> Groups);

/// <summary>Failed jobs that share a last error (an empty text: none recorded).</summary>
public sealed record FailureGroup(string LastError, int Jobs, DateTimeOffset LatestAt, IReadOnlyList<string> JobIds);

/// <summary>Jobs in one kind of trouble, longest in it first; <c>afterSeconds</c> is the setting that flags them, when one does.</summary>
public sealed record JobsAttention(double? AfterSeconds, IReadOnlyList<AttentionJob> Jobs, bool More);

/// <summary>A job in an attention list.</summary>
public sealed record AttentionJob(
    string JobId, string UserId, string AgentId, JobStatus Status, int Attempt, DateTimeOffset UpdatedAt,
    DateTimeOffset? LastHeartbeatAt, string? LastError);

/// <summary>Stripe's webhook endpoint as reconciliation last saw it; <c>disabled</c> when Stripe reports it disabled.</summary>
public sealed record EndpointAttention(bool Disabled, string? WebhookEndpointId, string? Status);
