using System.Text.Json;
using Provisioning.Jobs;

namespace Provisioning.Gateway.Jobs;

/// <summary>
/// The body of <c>GET /api/jobs/{jobId}</c> (and of the operator actions): the job as its grain holds it, with its whole history.
/// <c>output</c> is the JSON object the succeeded run reported; <c>lastHeartbeatAt</c> the claiming run's last sign of life;
/// <c>runAttempt</c> GitHub's re-run counter of the claiming run.
/// </summary>
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
    int? RunAttempt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastHeartbeatAt,
    string? LastError,
    JsonElement? Output,
    IReadOnlyList<JobHistoryItem> History)
{
    public static JobResponse From(JobSnapshot job) => new(
        job.JobId, job.StripeEventId, job.UserId, job.AgentId, job.Region, job.Status, job.Attempt, job.RunId, job.RunUrl,
        job.RunAttempt, job.CreatedAt, job.UpdatedAt, job.LastHeartbeatAt, job.LastError, JobOutput.Parse(job.OutputJson),
        job.History.Select(JobHistoryItem.Of).ToArray());
}
