namespace Provisioning.Grains.StripeReconciliation;

/// <summary>Reconciliation with Stripe's Events API (section <c>Stripe</c>). Off while <see cref="ApiKey"/> is not set.</summary>
public sealed class StripeReconciliationOptions
{
    public const string Section = "Stripe";

    /// <summary>
    /// The Stripe API key the Events API is read with: a restricted key with read access to events and webhook endpoints
    /// is enough. Alias: <c>STRIPE_SECRET_KEY</c>. Default none: reconciliation is off.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Where Stripe's API is. Default none: Stripe.net's own, <c>https://api.stripe.com</c>.</summary>
    public string? ApiBase { get; set; }

    /// <summary>Time between passes. Default 10 minutes.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How far before the checkpoint each pass starts listing, for events Stripe lists a little after their creation
    /// time and for clocks apart. Default 10 minutes.
    /// </summary>
    public TimeSpan ReconcileOverlap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far back the first pass (no checkpoint yet) lists. Default 3 days, Stripe's retry window; at most 30 days.</summary>
    public TimeSpan ReconcileFirstLookBack { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The first wait after a failed pass; each further failure doubles it, up to the interval. Default 30 seconds.</summary>
    public TimeSpan ReconcileRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Events per page of the listing (Stripe's <c>limit</c>, 1 to 100). Default 100.</summary>
    public int ReconcilePageSize { get; set; } = 100;

    /// <summary>The webhook endpoint (<c>we_...</c>) whose status each pass reads. Default none: not read.</summary>
    public string? WebhookEndpointId { get; set; }

    /// <summary>How far back Stripe's Events API reaches: events older than this cannot be listed.</summary>
    public static readonly TimeSpan StripeRetention = TimeSpan.FromDays(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKey);
}
