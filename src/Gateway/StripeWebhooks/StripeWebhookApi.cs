using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.StripeWebhooks;

public static class StripeWebhookApi
{
    /// <summary>
    /// Registers the Stripe webhook with its settings (<see cref="StripeWebhookOptions"/>, from <c>Stripe:WebhookSecrets</c>
    /// and the original app's <c>STRIPE_WEBHOOK_SECRET</c>): the gateway stops at start when no secret is configured.
    /// </summary>
    public static IHostApplicationBuilder AddStripeWebhook(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<StripeWebhookOptions>, StripeWebhookOptionsValidation>());
        builder.Services.AddOptions<StripeWebhookOptions>()
            .BindConfiguration(StripeWebhookOptions.Section)
            .PostConfigure<IConfiguration>((options, configuration) => options.WebhookSecrets =
            [
                .. options.WebhookSecrets.Append(configuration[StripeWebhookOptions.LegacySecretVariable])
                    .Where(secret => !string.IsNullOrWhiteSpace(secret))
                    .Select(secret => secret!.Trim())
                    .Distinct(StringComparer.Ordinal),
            ])
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StripeSignatureVerifier>();
        builder.Services.AddSingleton<StripeWebhookHandler>();
        builder.Services.AddSingleton<StripeWebhookAdmission>();
        return builder;
    }

    /// <summary><c>POST /api/webhooks/stripe</c>: Stripe's event deliveries. See docs/webhooks-stripe.md.</summary>
    public static IEndpointRouteBuilder MapStripeWebhookApi(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/api/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/stripe", ReceiveStripeEventAsync).WithName("StripeWebhook");
        return app;
    }

    private static Task<Results<Ok<StripeWebhookReceipt>, ProblemHttpResult>> ReceiveStripeEventAsync(
        HttpRequest request, StripeWebhookHandler handler, CancellationToken cancellationToken) =>
        handler.HandleAsync(request, cancellationToken);
}
