using Microsoft.Extensions.Options;

namespace Provisioning.ActionsSimulator.Requests;

/// <summary>Every request to the GitHub-facing endpoints in the order received, the newest <c>Simulator:MaxLoggedRequests</c>.</summary>
public sealed class RequestLog(IOptions<SimulatorOptions> options)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<LoggedRequest> _requests = new();
    private long _lastSequence;

    public LoggedRequest Add(Func<long, RequestRecord> record, byte[] body)
    {
        lock (_lock)
        {
            var entry = new LoggedRequest(record(++_lastSequence), body);
            _requests.AddLast(entry);
            while (_requests.Count > options.Value.MaxLoggedRequests)
            {
                _requests.RemoveFirst();
            }

            return entry;
        }
    }

    /// <summary>The logged requests in order; only those of one job (<c>inputs.job_id</c>) when <paramref name="jobId"/> is given.</summary>
    public IReadOnlyList<RequestRecord> Snapshot(string? jobId = null)
    {
        lock (_lock)
        {
            return [.. _requests.Select(r => r.Record).Where(r => jobId is null || string.Equals(r.JobId, jobId, StringComparison.Ordinal))];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }
}
