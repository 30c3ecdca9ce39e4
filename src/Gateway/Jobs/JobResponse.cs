using System.Text.Json.Serialization;
using Provisioning.Jobs;

namespace Provisioning.Gateway.Jobs;

/// <summary>
/// The body of <c>GET /api/jobs/{jobId}</c> (and of the operator actions): the job's <see cref="JobSummary"/>, as its grain
/// holds it, with its whole history.
/// </summary>
public sealed record JobResponse : JobSummary
{
    private JobResponse(JobSummary summary, IReadOnlyList<JobHistoryItem> history)
        : base(summary) => History = history;

    /// <summary>Every transition, oldest first; written after the summary's fields.</summary>
    [JsonPropertyOrder(1)]
    public IReadOnlyList<JobHistoryItem> History { get; init; }

    public static new JobResponse From(JobSnapshot job) => new(JobSummary.From(job), [.. job.History.Select(JobHistoryItem.Of)]);
}
