using System.Diagnostics.Metrics;
using Provisioning.Gateway.Jobs;
using Provisioning.ServiceDefaults.Telemetry;

namespace Provisioning.Gateway.Observability;

/// <summary>
/// <c>provisioning.jobs</c>: jobs by status, read from the counts the read model keeps (<see cref="JobCountsQuery"/>) when a
/// collection asks and the last answer is older than <see cref="CacheFor"/>. Only the gateway reports it, so that a
/// dashboard summing over hosts does not count a job twice. While the database does not answer, the last counts are kept.
/// </summary>
public sealed class JobStatusGauge
{
    /// <summary>How long one reading of the table is reported again before the next query.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    private readonly CachedReading<IReadOnlyDictionary<string, int>> _counts;

    public JobStatusGauge(IMeterFactory meters, JobCountsQuery query, TimeProvider time, ILogger<JobStatusGauge> logger)
    {
        _counts = new(() => query.Count(QueryTimeout), CacheFor, time, reason => ObservabilityLog.JobCountsUnavailable(logger, reason));
        meters.Create(ProvisioningTelemetry.Name).CreateObservableGauge(
            "provisioning.jobs", Observe, "{job}", "Jobs in the read model, by status.");
    }

    private IEnumerable<Measurement<int>> Observe() =>
        _counts.Current() is { } counts
            ? counts.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("status", c.Key))).ToArray()
            : [];
}
