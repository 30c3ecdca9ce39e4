using Provisioning.Jobs;

namespace Provisioning.Gateway.Jobs;

/// <summary>
/// One transition: <c>from</c> is null for the job's creation. <c>actorName</c> names who exactly, when known: the operator
/// key's name, or the run (<c>run 123</c>).
/// </summary>
public sealed record JobHistoryItem(DateTimeOffset At, JobStatus? From, JobStatus To, JobActor Actor, string Reason, string? ActorName)
{
    public static JobHistoryItem Of(JobHistoryEntry entry) => new(entry.At, entry.From, entry.To, entry.Actor, entry.Reason, entry.ActorName);
}
