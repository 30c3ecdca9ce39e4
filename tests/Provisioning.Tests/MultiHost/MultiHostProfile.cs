namespace Provisioning.Tests.MultiHost;

/// <summary>
/// Traffic and fault windows of the multi-host scenarios. <c>RELIABILITY_PROFILE=long</c> selects <see cref="Long"/>,
/// anything else <see cref="Short"/>, the profile <c>./test.sh</c> and CI run.
/// </summary>
public sealed record MultiHostProfile(
    string Name,
    double CheckoutsPerSecond,
    TimeSpan Traffic,
    TimeSpan FaultWindow,
    double RollingCheckoutsPerSecond,
    TimeSpan MembershipBound)
{
    public static MultiHostProfile Short { get; } = new(
        Name: "short",
        CheckoutsPerSecond: 4,
        Traffic: TimeSpan.FromSeconds(30),
        FaultWindow: TimeSpan.FromSeconds(12),
        RollingCheckoutsPerSecond: 20,
        MembershipBound: TimeSpan.FromSeconds(60));

    public static MultiHostProfile Long { get; } = new(
        Name: "long",
        CheckoutsPerSecond: 10,
        Traffic: TimeSpan.FromSeconds(120),
        FaultWindow: TimeSpan.FromSeconds(45),
        RollingCheckoutsPerSecond: 20,
        MembershipBound: TimeSpan.FromSeconds(60));

    public static MultiHostProfile Current { get; } =
        string.Equals(Environment.GetEnvironmentVariable("RELIABILITY_PROFILE"), "long", StringComparison.OrdinalIgnoreCase) ? Long : Short;

    /// <summary>How many checkouts a scenario's steady traffic sends.</summary>
    public int Checkouts => (int)(CheckoutsPerSecond * Traffic.TotalSeconds);
}
