using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Provisioning.Grains.StripeReconciliation;

public static class StripeReconciliationExtensions
{
    /// <summary>
    /// Registers reconciliation with Stripe's Events API (<see cref="StripeReconciliationOptions"/> from <c>Stripe</c>,
    /// checked at start): its tables (<c>db/0009_stripe_reconciliation.sql</c>), the Stripe.net source, the pass, and the
    /// start-up step that sets the reminder. Needs the Stripe inbox.
    /// </summary>
    public static IServiceCollection AddStripeReconciliation(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeReconciliationOptions>, StripeReconciliationOptionsValidation>());
        services.AddOptions<StripeReconciliationOptions>().BindConfiguration(StripeReconciliationOptions.Section).ValidateOnStart();
        services.TryAddSingleton<ReconciliationStore>();
        services.TryAddSingleton<ReconciliationTelemetry>();
        services.TryAddSingleton(sp => new StripeEventSource(sp.GetRequiredService<IOptions<StripeReconciliationOptions>>())
        {
            PageSize = sp.GetRequiredService<IOptions<StripeReconciliationOptions>>().Value.ReconcilePageSize,
        });
        services.TryAddSingleton<ReconciliationRunner>();
        services.AddHostedService<ReconcilerStarter>();
        return services;
    }
}
