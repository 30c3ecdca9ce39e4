namespace Provisioning.ActionsSimulator.Faults;

/// <summary>The kinds of fault a dispatch request can meet. See docs/actions-simulator.md.</summary>
public static class FaultKinds
{
    /// <summary>Answer with <c>status</c> (default 500) and a GitHub-like error body.</summary>
    public const string Status = "status";

    /// <summary>Never answer: hold the request until the client gives up, or close the connection after <c>seconds</c> (default 120).</summary>
    public const string Timeout = "timeout";

    /// <summary>A secondary rate limit: <c>status</c> 429 (default) or 403 with <c>retry-after: seconds</c> (default 60).</summary>
    public const string RateLimit = "rate-limit";

    /// <summary>A primary rate limit: <c>status</c> 403 (default) or 429, <c>x-ratelimit-remaining: 0</c>, reset in <c>seconds</c> (default 60).</summary>
    public const string RateLimitReset = "rate-limit-reset";

    /// <summary>Wait <c>milliseconds</c> (default 1000), then answer normally.</summary>
    public const string Latency = "latency";

    /// <summary>Answer 400 to a body with <c>return_run_details</c>, as GitHub Enterprise Server before the field existed.</summary>
    public const string RejectRunDetails = "reject-run-details";

    /// <summary>Dispatch normally but answer 204 although run details were asked for.</summary>
    public const string IgnoreRunDetails = "ignore-run-details";

    public static IReadOnlyList<string> All { get; } =
        [Status, Timeout, RateLimit, RateLimitReset, Latency, RejectRunDetails, IgnoreRunDetails];
}
