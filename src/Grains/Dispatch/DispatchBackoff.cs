namespace Provisioning.Grains.Dispatch;

/// <summary>Exponential backoff with full jitter: the wait before try n+1 is uniform in [0, min(cap, base * multiplier^(n-1))].</summary>
public static class DispatchBackoff
{
    /// <param name="failedTries">How many tries of this attempt have failed so far (1 after the first failure).</param>
    /// <param name="options">Base delay, multiplier and cap.</param>
    /// <param name="unitRandom">A random number in [0, 1).</param>
    public static TimeSpan Delay(int failedTries, DispatchOptions options, double unitRandom)
    {
        var exponent = Math.Max(0, failedTries - 1);
        var ceiling = options.BaseDelay.TotalMilliseconds * Math.Pow(options.Multiplier, exponent);
        var capped = Math.Min(options.MaxDelay.TotalMilliseconds, ceiling);
        return TimeSpan.FromMilliseconds(capped * Math.Clamp(unitRandom, 0, 1));
    }
}
