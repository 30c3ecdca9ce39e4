namespace Provisioning.Tests.Reliability;

/// <summary>
/// Sizes and durations of the reliability scenarios, in one place. <c>RELIABILITY_PROFILE=long</c> selects
/// <see cref="Long"/>; anything else (and no value) <see cref="Short"/>, the profile <c>./test.sh</c> and CI run.
/// </summary>
public sealed record ReliabilityProfile(
    string Name,
    int BurstEvents,
    int BurstUsers,
    int DuplicatedEvents,
    int CopiesPerEvent,
    int DispatchCrashJobs,
    int OneUserCheckouts,
    int StalledRuns,
    int SessionsWithTwoEvents,
    int InboxBound,
    TimeSpan PostgresOutage,
    TimeSpan GitHubOutage,
    int Concurrency,
    TimeSpan DeliveryDeadline,
    TimeSpan SettleTimeout)
{
    /// <summary>
    /// How soon after a silo dies the backstop of another must have carried out every event the dead silo had stored but
    /// not handed over: the hand-over lease (5 s), a backstop pass (1 s) and the processing, with room for a loaded machine.
    /// </summary>
    public static readonly TimeSpan BackstopBound = TimeSpan.FromSeconds(30);

    public static ReliabilityProfile Short { get; } = new(
        Name: "short",
        BurstEvents: 24,
        BurstUsers: 8,
        DuplicatedEvents: 3,
        CopiesPerEvent: 10,
        DispatchCrashJobs: 3,
        OneUserCheckouts: 6,
        StalledRuns: 3,
        SessionsWithTwoEvents: 6,
        InboxBound: 6,
        PostgresOutage: TimeSpan.FromSeconds(12),
        GitHubOutage: TimeSpan.FromSeconds(15),
        Concurrency: 6,
        DeliveryDeadline: TimeSpan.FromMinutes(3),
        SettleTimeout: TimeSpan.FromMinutes(3));

    public static ReliabilityProfile Long { get; } = new(
        Name: "long",
        BurstEvents: 120,
        BurstUsers: 30,
        DuplicatedEvents: 10,
        CopiesPerEvent: 10,
        DispatchCrashJobs: 8,
        OneUserCheckouts: 20,
        StalledRuns: 8,
        SessionsWithTwoEvents: 20,
        InboxBound: 20,
        PostgresOutage: TimeSpan.FromSeconds(30),
        GitHubOutage: TimeSpan.FromSeconds(60),
        Concurrency: 12,
        DeliveryDeadline: TimeSpan.FromMinutes(6),
        SettleTimeout: TimeSpan.FromMinutes(6));

    public static ReliabilityProfile Current { get; } =
        string.Equals(Environment.GetEnvironmentVariable("RELIABILITY_PROFILE"), "long", StringComparison.OrdinalIgnoreCase) ? Long : Short;
}
