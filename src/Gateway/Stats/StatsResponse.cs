namespace Provisioning.Gateway.Stats;

/// <summary>
/// The body of <c>GET /api/stats</c>: the window, its intervals oldest first (every interval, zero when nothing happened), the
/// window's totals, and the Stripe inbox as it is now.
/// </summary>
public sealed record StatsResponse(
    string Window, int IntervalSeconds, DateTimeOffset From, DateTimeOffset To,
    IReadOnlyList<StatsInterval> Intervals, StatsInterval Totals, StatsInbox Inbox);

/// <summary>
/// The figures of one interval (or of the whole window): checkouts received (jobs created), jobs that succeeded, failed or
/// were cancelled, dispatch requests retried after a transient error, and dispatch requests GitHub rate-limited; the time
/// from the payment (the creation of the checkout's Stripe event) to success at the 50th and 95th percentile, in seconds (null without a success).
/// </summary>
public sealed record StatsInterval(
    DateTimeOffset Start, long Received, long Succeeded, long Failed, long Cancelled, long DispatchRetries, long RateLimitWaits,
    double? PaidToSucceededP50Seconds, double? PaidToSucceededP95Seconds);

/// <summary>The Stripe inbox now: events stored but not processed yet, and the age of the oldest in seconds.</summary>
public sealed record StatsInbox(long Backlog, double OldestAgeSeconds);
