namespace Provisioning.StripeSimulator.Events;

/// <summary>
/// The webhook endpoint's state: its status (<c>enabled</c> or <c>disabled</c>, as Stripe reports it; a disabled endpoint
/// gets no deliveries) and whether deliveries are dropped (the endpoint is down: nothing reaches it, nothing is delivered).
/// </summary>
public sealed class EndpointState
{
    public const string Enabled = "enabled";
    public const string Disabled = "disabled";

    private volatile string _status = Enabled;
    private volatile bool _dropDeliveries;
    private volatile string? _url;
    private volatile int _apiDelayMilliseconds;

    /// <summary>Where deliveries go when set here, instead of <see cref="StripeSimulatorOptions.WebhookUrl"/>.</summary>
    public string? Url
    {
        get => _url;
        set => _url = value;
    }

    /// <summary>How long each API request waits before it is served: a slow Stripe.</summary>
    public int ApiDelayMilliseconds
    {
        get => _apiDelayMilliseconds;
        set => _apiDelayMilliseconds = value;
    }

    public string Status
    {
        get => _status;
        set => _status = value;
    }

    public bool DropDeliveries
    {
        get => _dropDeliveries;
        set => _dropDeliveries = value;
    }
}
