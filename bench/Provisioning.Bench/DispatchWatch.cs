namespace Provisioning.Bench;

/// <summary>
/// Waits, up to a deadline, until the GitHub Actions simulator has received the workflow dispatch of each of a set of
/// jobs. The simulator's whole log is large and costs both processes CPU to read, so the wait first asks the jobs table
/// (which shows a job past its dispatch once the dispatch was answered) until every job is there, and only then reads the log.
/// </summary>
public sealed class DispatchWatch(HttpClient http, Uri simulator, string simulatorToken, JobsTable jobs)
{
    // Jobs are asked for a batch at a time, oldest first, so that a poll costs the database little while the system
    // works through the backlog being measured.
    private const int Batch = 500;

    /// <summary>Until the jobs table shows each of <paramref name="jobIds"/> (in the order sent) past its dispatch, or the deadline.</summary>
    public async Task UntilPastDispatchAsync(IReadOnlyList<string> jobIds, DateTimeOffset deadline)
    {
        var pending = jobIds.ToList();
        while (pending.Count > 0 && DateTimeOffset.UtcNow < deadline)
        {
            var batch = pending.Take(Batch).ToArray();
            var done = (await jobs.PastDispatchAsync(batch)).ToHashSet(StringComparer.Ordinal);
            pending.RemoveAll(done.Contains);
            if (done.Count < batch.Length)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    /// <summary>The simulator's dispatch log once it holds every one of <paramref name="jobIds"/>, or at the deadline.</summary>
    public async Task<IReadOnlyList<DispatchRequest>> UntilLoggedAsync(IReadOnlyList<string> jobIds, DateTimeOffset deadline)
    {
        while (true)
        {
            var log = await SimulatorLog.DispatchesAsync(http, simulator, simulatorToken);
            var seen = log.Select(d => d.JobId!).ToHashSet(StringComparer.Ordinal);
            if (jobIds.All(seen.Contains) || DateTimeOffset.UtcNow >= deadline)
            {
                return log;
            }

            // The table and the log disagree (a job that ended without a dispatch): read the large log seldom.
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }
}
