namespace Provisioning.StripeSimulator;

/// <summary>The simulator's settings (section <c>StripeSimulator</c>).</summary>
public sealed class StripeSimulatorOptions
{
    public const string Section = "StripeSimulator";
    public const string DefaultUrl = "http://127.0.0.1:5091";

    /// <summary>The only secret key the API accepts (<c>Authorization: Bearer ...</c>). Default <c>sk_test_simulator</c>.</summary>
    public string ApiKey { get; set; } = "sk_test_simulator";

    /// <summary>Where events are delivered (the gateway's <c>/api/webhooks/stripe</c>). Without it nothing is delivered.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The webhook signing secret (<c>whsec_...</c>) deliveries are signed with; required with <see cref="WebhookUrl"/>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The id of the one webhook endpoint served at <c>/v1/webhook_endpoints/{id}</c>. Default <c>we_simulator</c>.</summary>
    public string WebhookEndpointId { get; set; } = "we_simulator";

    /// <summary>How long a delivery waits for the endpoint's answer. Default 10 seconds.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
