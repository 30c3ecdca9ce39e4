using Provisioning.Jobs;

namespace Provisioning.Grains.ReadModel;

/// <summary>
/// The PostgreSQL tables (<c>jobs</c>, <c>job_history</c>) that listings, dashboards and the API read.
/// Grain state is the source of truth; this is a projection of it, written idempotently by version.
/// </summary>
public interface IJobReadModel
{
    /// <summary>
    /// Writes the job's row and any history entries the table lacks. A snapshot older than the stored row
    /// (lower <see cref="JobSnapshot.Version"/>) changes nothing, so replays and repairs are safe.
    /// </summary>
    Task ProjectAsync(JobSnapshot job, CancellationToken cancellationToken = default);
}
