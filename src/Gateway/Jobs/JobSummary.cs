using System.Text.Json;
using Provisioning.Jobs;

namespace Provisioning.Gateway.Jobs;

/// <summary>
/// A job in a listing, from the read model: everything of <see cref="JobResponse"/> but the history.
/// <c>output</c> is the JSON object the succeeded run reported; <c>lastHeartbeatAt</c> the claiming run's last sign of life;
/// <c>runAttempt</c> GitHub's re-run counter of the claiming run.
/// </summary>
public record JobSummary(
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
    JsonElement? Output)
{
    public static JobSummary From(JobSnapshot job) => new(
        job.JobId, job.StripeEventId, job.UserId, job.AgentId, job.Region, job.Status, job.Attempt, job.RunId, job.RunUrl,
        job.RunAttempt, job.CreatedAt, job.UpdatedAt, job.LastHeartbeatAt, job.LastError, JobOutput.Parse(job.OutputJson));
}

/// <summary>One page of a listing, newest first; <c>nextCursor</c> is null on the last page.</summary>
public sealed record JobPage(IReadOnlyList<JobSummary> Items, string? NextCursor);
