using System.Text.Json;
using Provisioning.Jobs;

namespace Provisioning.Gateway.Jobs;

/// <summary>A job in a listing: the fields of <see cref="JobResponse"/> without the history, from the read model.</summary>
public sealed record JobSummary(
    string JobId,
    string StripeEventId,
    string UserId,
    string AgentId,
    string Region,
    JobStatus Status,
    int Attempt,
    string? RunId,
    string? RunUrl,
    int? RunAttempt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastHeartbeatAt,
    string? LastError,
    JsonElement? Output);

/// <summary>One page of a listing, newest first; <c>nextCursor</c> is null on the last page.</summary>
public sealed record JobPage(IReadOnlyList<JobSummary> Items, string? NextCursor);
