using Provisioning.Jobs;

namespace Provisioning.Gateway.Jobs;

/// <summary>The body of <c>GET /api/jobs/{jobId}</c>: the job as its grain holds it, with its whole history.</summary>
public sealed record JobResponse(
    string JobId,
    string StripeEventId,
    string UserId,
    string AgentId,
    string Region,
    JobStatus Status,
    int Attempt,
    string? RunId,
    string? RunUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? LastError,
    IReadOnlyList<JobHistoryItem> History)
{
    public static JobResponse From(JobSnapshot job) => new(
        job.JobId, job.StripeEventId, job.UserId, job.AgentId, job.Region, job.Status, job.Attempt, job.RunId, job.RunUrl,
        job.CreatedAt, job.UpdatedAt, job.LastError, job.History.Select(JobHistoryItem.Of).ToArray());
}
