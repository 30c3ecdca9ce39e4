using Provisioning.Jobs;

namespace Provisioning.Gateway.Jobs;

/// <summary>One transition: <c>from</c> is null for the job's creation.</summary>
public sealed record JobHistoryItem(DateTimeOffset At, JobStatus? From, JobStatus To, JobActor Actor, string Reason)
{
    public static JobHistoryItem Of(JobHistoryEntry entry) => new(entry.At, entry.From, entry.To, entry.Actor, entry.Reason);
}
