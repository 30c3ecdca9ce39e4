namespace Provisioning.Gateway.StripeWebhooks;

/// <summary>How the gateway checks the Stripe webhooks it receives. Bound from the <c>Stripe</c> section.</summary>
public sealed class StripeWebhookOptions
{
    public const string Section = "Stripe";

    /// <summary>The configuration key of the secrets, as error messages and docs name it.</summary>
    public const string SecretsKey = "Stripe:WebhookSecrets";

    /// <summary>The single secret variable of the original app; its value is added to <see cref="WebhookSecrets"/>.</summary>
    public const string LegacySecretVariable = "STRIPE_WEBHOOK_SECRET";

    /// <summary>
    /// <c>Stripe:WebhookSecrets</c>: the signing secrets (<c>whsec_...</c>) of the webhook endpoint. A delivery signed with any
    /// of them is accepted, so a rolled secret and its successor both work while Stripe rotates them
    /// (environment variables <c>Stripe__WebhookSecrets__0</c>, <c>Stripe__WebhookSecrets__1</c>, ...).
    /// Required: at least one, here or in <c>STRIPE_WEBHOOK_SECRET</c>. Blank entries are ignored.
    /// </summary>
    public string[] WebhookSecrets { get; set; } = [];

    /// <summary>
    /// <c>Stripe:MaxConcurrentDeliveries</c>: deliveries the gateway records at once. Default 64. Together with
    /// <see cref="MaxQueuedDeliveries"/> it bounds the work in flight, so an overload is answered at once with 503 and
    /// <c>Retry-After</c> instead of every delivery slowing down until it times out.
    /// </summary>
    public int MaxConcurrentDeliveries { get; set; } = 64;

    /// <summary><c>Stripe:MaxQueuedDeliveries</c>: deliveries that may wait for a free place, oldest first. Default 128; 0 refuses at once. The two bound how long an accepted delivery waits.</summary>
    public int MaxQueuedDeliveries { get; set; } = 128;
}
