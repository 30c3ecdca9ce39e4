using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Provisioning.Grains.Batching;

namespace Provisioning.Grains.StripeInbox;

public static class StripeInboxExtensions
{
    /// <summary>
    /// Registers the Stripe inbox (<see cref="StripeInboxOptions"/> from <c>Stripe:Inbox</c>): its table, the processor
    /// that carries out stored events, and the backstop that every silo runs. Writes through the <c>NpgsqlDataSource</c>
    /// in the container into <c>db/0007_stripe_inbox.sql</c>'s table.
    /// </summary>
    public static IServiceCollection AddStripeInbox(this IServiceCollection services)
    {
        services.AddOptions<StripeInboxOptions>()
            .BindConfiguration(StripeInboxOptions.Section)
            .Validate(o => o.MaxBacklog >= 1, "Stripe:Inbox:MaxBacklog must be at least 1.")
            .Validate(o => o.HandOverLease > TimeSpan.Zero && o.BackstopLease > TimeSpan.Zero && o.RetryDelay > TimeSpan.Zero,
                "Stripe:Inbox:HandOverLease, BackstopLease and RetryDelay must be positive.")
            .Validate(o => o.BackstopInterval > TimeSpan.Zero, "Stripe:Inbox:BackstopInterval must be positive.")
            .Validate(o => o.BackstopBatch >= 1 && o.ProcessingConcurrency >= 1,
                "Stripe:Inbox:BackstopBatch and ProcessingConcurrency must be at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton<SharedRoundTrips>();
        services.TryAddSingleton<StripeInbox>();
        services.TryAddSingleton<StripeInboxProcessor>();
        services.TryAddSingleton<StripeInboxBackstop>();
        services.AddHostedService(sp => sp.GetRequiredService<StripeInboxBackstop>());
        return services;
    }
}
