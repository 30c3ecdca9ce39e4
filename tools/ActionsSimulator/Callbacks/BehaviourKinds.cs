namespace Provisioning.ActionsSimulator.Callbacks;

/// <summary>How a played run departs from the normal claim, heartbeats, complete. See docs/actions-simulator.md.</summary>
public static class BehaviourKinds
{
    /// <summary>Never call back: the run stays <c>queued</c>, as when no runner picks it up.</summary>
    public const string Silent = "silent";

    /// <summary>Claim, then nothing: the run stays <c>in_progress</c>, as a hung runner.</summary>
    public const string StopHeartbeats = "stop-heartbeats";

    /// <summary>Claim, heartbeat for <c>milliseconds</c> (0), then <c>fail</c> with <c>message</c> and <c>retryable</c> (false).</summary>
    public const string Fail = "fail";

    /// <summary>Play normally, but send <c>attempt</c> (default: the dispatched attempt - 1, or 2 for attempt 1) in every callback.</summary>
    public const string StaleAttempt = "stale-attempt";

    /// <summary>Play normally, provisioning for <c>milliseconds</c> (30000) instead of <c>Simulator:ProvisionDuration</c>.</summary>
    public const string Slow = "slow";

    public static IReadOnlyList<string> All { get; } = [Silent, StopHeartbeats, Fail, StaleAttempt, Slow];
}
