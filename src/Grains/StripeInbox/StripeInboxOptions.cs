namespace Provisioning.Grains.StripeInbox;

/// <summary>The Stripe inbox's settings (section <c>Stripe:Inbox</c>).</summary>
public sealed class StripeInboxOptions
{
    public const string Section = "Stripe:Inbox";

    /// <summary>
    /// Unprocessed events past which new deliveries are refused with 503 and <c>Retry-After</c>, before anything is
    /// written. Default 30,000: about a minute of processing (the rates are in docs/benchmarks.md).
    /// </summary>
    public long MaxBacklog { get; set; } = 30_000;

    /// <summary>
    /// How long the silo that stored an event keeps its hand-over to itself. An event still unprocessed after that is
    /// taken by the backstop of any silo. Default 5 seconds.
    /// </summary>
    public TimeSpan HandOverLease { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each silo's backstop looks for events past their hand-over, and measures the backlog. Default 1 second.</summary>
    public TimeSpan BackstopInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most events one backstop pass takes, oldest first. Default 200.</summary>
    public int BackstopBatch { get; set; } = 200;

    /// <summary>How long a backstop pass holds the events it took before another silo may take them. Default 30 seconds.</summary>
    public TimeSpan BackstopLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after a failed processing the backstop tries the event again. Default 5 seconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Events a silo processes at once. Default 32.</summary>
    public int ProcessingConcurrency { get; set; } = 32;
}
