using Provisioning.Jobs;

namespace Provisioning.Gateway.GitHubEvents;

/// <summary>
/// The 200 answer to a GitHub delivery. For a run event that reached its job: the job's id, status and attempt after it, and
/// <see cref="Duplicate"/> when the delivery id was seen before. Otherwise <see cref="Ignored"/> says why nothing happened.
/// </summary>
public sealed record GitHubEventReceipt(
    bool Ok, string Event, string? JobId, JobStatus? Status, int? Attempt, bool Duplicate, string? Ignored)
{
    public static GitHubEventReceipt Ignoring(string gitHubEvent, string why, string? jobId = null) =>
        new(true, gitHubEvent, jobId, null, null, false, why);
}
