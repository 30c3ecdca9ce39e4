using Microsoft.Extensions.Options;

namespace Provisioning.Grains.StripeReconciliation;

/// <summary>Stops the silo at start on a reconciliation setting it cannot use, naming the key.</summary>
internal sealed class StripeReconciliationOptionsValidation : IValidateOptions<StripeReconciliationOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeReconciliationOptions o)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(o.ApiBase)
            && (!Uri.TryCreate(o.ApiBase, UriKind.Absolute, out var apiBase) || apiBase.Scheme is not ("http" or "https")))
        {
            failures.Add($"Stripe:ApiBase must be an absolute http(s) URL such as https://api.stripe.com (it is '{o.ApiBase}').");
        }

        if (o.ReconcileInterval <= TimeSpan.Zero)
        {
            failures.Add($"Stripe:ReconcileInterval must be positive (it is {o.ReconcileInterval}).");
        }

        if (o.ReconcileOverlap < TimeSpan.Zero)
        {
            failures.Add($"Stripe:ReconcileOverlap must not be negative (it is {o.ReconcileOverlap}).");
        }

        if (o.ReconcileFirstLookBack <= TimeSpan.Zero || o.ReconcileFirstLookBack > StripeReconciliationOptions.StripeRetention)
        {
            failures.Add($"Stripe:ReconcileFirstLookBack must be more than 0 and at most 30 days, how far Stripe lists events (it is {o.ReconcileFirstLookBack}).");
        }

        if (o.ReconcileRetryDelay <= TimeSpan.Zero)
        {
            failures.Add($"Stripe:ReconcileRetryDelay must be positive (it is {o.ReconcileRetryDelay}).");
        }

        if (o.ReconcilePageSize is < 1 or > 100)
        {
            failures.Add($"Stripe:ReconcilePageSize must be 1 to 100, Stripe's page sizes (it is {o.ReconcilePageSize}).");
        }

        if (o.WebhookEndpointId is { } id && (id.Length == 0 || id.Any(char.IsWhiteSpace)))
        {
            failures.Add($"Stripe:WebhookEndpointId must be an endpoint id such as we_123 (it is '{id}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
