namespace Provisioning.Gateway.Dashboard;

/// <summary>What the dashboard flags for attention and how it learns of changes. Bound from <c>Gateway:Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Gateway:Dashboard";

    /// <summary>A job waiting for its user's earlier job longer than this needs attention. Default 10 minutes.</summary>
    public TimeSpan WaitingAttentionAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A provisioning run whose last heartbeat (or claim) is older than this needs attention. Default 3 minutes: runs
    /// heartbeat every minute, so one late heartbeat is not flagged.
    /// </summary>
    public TimeSpan SilentRunAttentionAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How often the gateway's one live source asks the database whether anything changed, while any dashboard listens.
    /// Default 1 second; from 100 ms to 1 minute.
    /// </summary>
    public TimeSpan LivePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the live source recounts what needs attention when nothing changed (a job can start waiting too long without
    /// any change). Default 30 seconds; at least the poll interval.
    /// </summary>
    public TimeSpan AttentionRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
