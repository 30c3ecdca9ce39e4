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
    TimeSpan PostgresOutage,
    TimeSpan GitHubOutage,
    int Concurrency,
    TimeSpan DeliveryDeadline,
    TimeSpan SettleTimeout)
{
    public static ReliabilityProfile Short { get; } = new(
        Name: "short",
        BurstEvents: 24,
        BurstUsers: 8,
        DuplicatedEvents: 3,
        CopiesPerEvent: 10,
        DispatchCrashJobs: 3,
        OneUserCheckouts: 6,
        StalledRuns: 3,
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
        PostgresOutage: TimeSpan.FromSeconds(30),
        GitHubOutage: TimeSpan.FromSeconds(60),
        Concurrency: 12,
        DeliveryDeadline: TimeSpan.FromMinutes(6),
        SettleTimeout: TimeSpan.FromMinutes(6));

    public static ReliabilityProfile Current { get; } =
        string.Equals(Environment.GetEnvironmentVariable("RELIABILITY_PROFILE"), "long", StringComparison.OrdinalIgnoreCase) ? Long : Short;
}
