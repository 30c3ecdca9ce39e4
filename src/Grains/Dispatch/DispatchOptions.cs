namespace Provisioning.Grains.Dispatch;

/// <summary>How a job's workflow dispatch is retried. Bound from the <c>Dispatch</c> section.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary><c>Dispatch:BaseDelay</c>: the first retry waits up to this long (full jitter). Default 5 s.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>Dispatch:Multiplier</c>: each further retry may wait this many times longer. Default 2.</summary>
    public double Multiplier { get; set; } = 2;

    /// <summary><c>Dispatch:MaxDelay</c>: no retry waits longer than this. Default 10 min.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>Dispatch:MaxTries</c>: dispatch requests per attempt before the job fails. Default 10.</summary>
    public int MaxTries { get; set; } = 10;

    /// <summary><c>Dispatch:MinRateLimitWait</c>: the wait after a 403/429 that names no time. Default 60 s.</summary>
    public TimeSpan MinRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>Dispatch:ReminderPeriod</c>: how often the durable reminder of a job that owes a dispatch or a slot release wakes
    /// it, the backstop for crashes and lost timers (a job whose run is only watched is woken at the run's deadline
    /// instead). Default 1 min (Orleans' minimum reminder period unless lowered).
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>Gateway:PublicUrl</c>: the gateway's public address; the workflow calls back to <c>{PublicUrl}/api/webhooks/github</c>. Required.</summary>
    public string PublicUrl { get; set; } = "";
}
