using System.Diagnostics.CodeAnalysis;

namespace Provisioning.Jobs;

/// <summary>
/// The names of job statuses and actors wherever they are written out: the API and its JSON, the read model's columns,
/// the history's reasons, metrics and traces. Lowercase, and fixed here because the read model stores them.
/// </summary>
public static class JobNames
{
    /// <summary>Every status name, in the order of the state machine.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<JobStatus>().Select(Of)];

    public static string Of(JobStatus status) => status switch
    {
        JobStatus.Waiting => "waiting",
        JobStatus.Queued => "queued",
        JobStatus.Dispatched => "dispatched",
        JobStatus.Provisioning => "provisioning",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a job status"),
    };

    public static string Of(JobActor actor) => actor switch
    {
        JobActor.Stripe => "stripe",
        JobActor.Github => "github",
        JobActor.Operator => "operator",
        JobActor.System => "system",
        _ => throw new ArgumentOutOfRangeException(nameof(actor), actor, "not a job actor"),
    };

    /// <summary>Parses a status name (case-insensitive); numbers are not names.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out JobStatus? status)
    {
        status = null;
        foreach (var candidate in Enum.GetValues<JobStatus>())
        {
            if (string.Equals(Of(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                break;
            }
        }

        return status is not null;
    }
}
