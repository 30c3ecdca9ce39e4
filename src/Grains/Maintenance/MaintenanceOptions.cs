namespace Provisioning.Grains.Maintenance;

/// <summary>What each silo does in the background so that stored data and the cost of reading it stay bounded (section <c>Maintenance</c>).</summary>
public sealed class MaintenanceOptions
{
    public const string Section = "Maintenance";

    /// <summary>
    /// How long a processed Stripe event stays in the inbox after it was received; then its row (and the raw payload in
    /// it) is deleted. Unprocessed events are never deleted. Must be more than 30 days: Stripe lists, and may resend,
    /// events for 30 days, and a stored row is what makes a late copy a duplicate. Default 45 days.
    /// </summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(45);

    /// <summary>
    /// How long a job that ended (succeeded, failed, cancelled) stays in the read model (<c>jobs</c>, <c>job_history</c>)
    /// after its last change. Null (the default) keeps every job. The job grain's state is kept either way.
    /// </summary>
    public TimeSpan? JobRetention { get; set; }

    /// <summary>How often each silo looks for rows past their retention. Default 1 minute.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most rows one purge statement deletes; a purge repeats until less is left. Default 500.</summary>
    public int PurgeBatch { get; set; } = 500;

    /// <summary>
    /// How often each silo folds the job count changes into the totals (<c>db/0008_job_counts.sql</c>) and the dashboard's figure
    /// changes into their intervals (<c>db/0010_job_stats.sql</c>). Default 5 seconds.
    /// </summary>
    public TimeSpan CountsFoldInterval { get; set; } = TimeSpan.FromSeconds(5);
}
