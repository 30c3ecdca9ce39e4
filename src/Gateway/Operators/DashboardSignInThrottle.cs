using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.Operators;

/// <summary>
/// Bounds the failed dashboard sign-ins from one client address to
/// <see cref="OperatorOptions.DashboardSignInFailuresPerMinute"/> per minute. Once an address has used them, every
/// sign-in from it (with any key) is refused until the minute ends, so the form cannot be used to guess keys.
/// Successful sign-ins do not count.
/// </summary>
public sealed class DashboardSignInThrottle : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _failures;

    public DashboardSignInThrottle(IOptions<OperatorOptions> options)
    {
        var limit = options.Value.DashboardSignInFailuresPerMinute;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = Window, QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>Whether <paramref name="address"/> may try a key now; if not, how long until it may.</summary>
    public bool MayTry(string address, out TimeSpan retryAfter)
    {
        using var lease = _failures.AttemptAcquire(address, 0);
        retryAfter = lease.IsAcquired ? TimeSpan.Zero
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait
            : Window;
        return lease.IsAcquired;
    }

    /// <summary>Counts a failed sign-in from <paramref name="address"/>.</summary>
    public void Failed(string address) => _failures.AttemptAcquire(address).Dispose();

    public void Dispose() => _failures.Dispose();
}
