namespace Provisioning.Bench;

/// <summary>
/// After the run: every acknowledged event's checkout session has its job, no session has more than one, no job attempt
/// was dispatched twice, and no acknowledged event was found unrecorded later. Jobs follow their events asynchronously,
/// so the check first waits, up to a limit, until every acknowledged session has a job.
/// </summary>
public static class Checker
{
    /// <summary>
    /// <see cref="Lost"/>: acknowledged events whose session has no job, or that a later delivery found unrecorded.
    /// <see cref="ExtraJobs"/>: jobs beyond the first of a checkout session. <see cref="ExtraDispatches"/>: 2xx dispatches
    /// beyond the first of a job attempt.
    /// </summary>
    public sealed record Verdict(
        int Acknowledged, int Sessions, int Jobs, int Lost, int ExtraJobs, int ExtraDispatches, int Unacknowledged, int JobsWithoutAck)
    {
        public int DuplicateJobs => ExtraJobs + ExtraDispatches;
    }

    /// <summary>Waits until every checkout session with an acknowledged event has a job; answers how many still lack one.</summary>
    public static async Task<int> UntilEveryCheckoutHasAJobAsync(JobsTable jobs, Ledger ledger, TimeSpan limit)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        var eventsOf = ledger.SessionOf.GroupBy(s => s.Value, s => s.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var pending = ledger.AcknowledgedIds.Select(id => ledger.SessionOf[id]).ToHashSet(StringComparer.Ordinal);
        while (true)
        {
            var found = await jobs.ExistingAsync([.. pending.SelectMany(s => eventsOf[s])]);
            pending.ExceptWith(found.Select(id => ledger.SessionOf[id]));
            if (pending.Count == 0 || DateTimeOffset.UtcNow >= deadline)
            {
                return pending.Count;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    public static async Task<Verdict> CheckAsync(JobsTable jobs, Ledger ledger, IReadOnlyList<DispatchRequest> dispatches)
    {
        var jobIds = await jobs.WithPrefixAsync(CheckoutEvents.IdPrefix);
        var sessionOf = ledger.SessionOf;
        var jobsPerSession = jobIds.Where(sessionOf.ContainsKey)
            .GroupBy(id => sessionOf[id], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        var acknowledged = ledger.AcknowledgedIds;
        var lost = acknowledged.Where(id => !jobsPerSession.ContainsKey(sessionOf[id]))
            .Union(ledger.FoundUnrecorded, StringComparer.Ordinal)
            .Count();
        var extraJobs = jobsPerSession.Values.Sum(n => n - 1);
        var extraDispatches = dispatches
            .Where(d => d.Status is >= 200 and < 300 && d.JobId!.StartsWith(CheckoutEvents.IdPrefix, StringComparison.Ordinal))
            .GroupBy(d => (d.JobId, d.Attempt))
            .Sum(g => g.Count() - 1);
        var acknowledgedSet = acknowledged.ToHashSet(StringComparer.Ordinal);
        var withoutAck = jobIds.Count(id => !acknowledgedSet.Contains(id));
        var sessions = acknowledged.Select(id => sessionOf[id]).Distinct(StringComparer.Ordinal).Count();
        return new Verdict(acknowledged.Count, sessions, jobIds.Count, lost, extraJobs, extraDispatches, ledger.Owed.Count, withoutAck);
    }
}
