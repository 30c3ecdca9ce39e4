using System.Diagnostics.Metrics;
using Npgsql;
using Provisioning.Gateway.Jobs;
using Provisioning.ServiceDefaults.Telemetry;

namespace Provisioning.Gateway.Observability;

/// <summary>
/// <c>provisioning.jobs</c>: jobs by status, read from the read model's <c>jobs</c> table with one <c>GROUP BY</c> when a
/// collection asks and the last answer is older than <see cref="CacheFor"/>. Only the gateway reports it, so that a
/// dashboard summing over hosts does not count a job twice. While the database does not answer, the last counts are kept.
/// </summary>
public sealed class JobStatusGauge
{
    /// <summary>How long one reading of the table is reported again before the next query.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    private readonly JobCountsQuery _query;
    private readonly TimeProvider _time;
    private readonly ILogger<JobStatusGauge> _logger;
    private readonly Lock _lock = new();
    private IReadOnlyDictionary<string, int>? _counts;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public JobStatusGauge(IMeterFactory meters, JobCountsQuery query, TimeProvider time, ILogger<JobStatusGauge> logger)
    {
        _query = query;
        _time = time;
        _logger = logger;
        meters.Create(ProvisioningTelemetry.Name).CreateObservableGauge(
            "provisioning.jobs", Observe, "{job}", "Jobs in the read model, by status.");
    }

    private IEnumerable<Measurement<int>> Observe()
    {
        var counts = Current();
        return counts is null
            ? []
            : counts.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("status", c.Key))).ToArray();
    }

    private IReadOnlyDictionary<string, int>? Current()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now - _readAt < CacheFor)
            {
                return _counts;
            }

            _readAt = now;
            try
            {
                _counts = _query.Count(QueryTimeout);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                ObservabilityLog.JobCountsUnavailable(_logger, ex.Message);
            }

            return _counts;
        }
    }
}
