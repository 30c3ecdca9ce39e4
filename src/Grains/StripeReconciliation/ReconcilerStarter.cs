using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.StripeEvents;

namespace Provisioning.Grains.StripeReconciliation;

/// <summary>
/// On each silo's start: says whether reconciliation is on, and asks the reconciler to register (or, when off, remove) its
/// reminder, retrying until the cluster answers.
/// </summary>
public sealed partial class ReconcilerStarter(
    IGrainFactory grains, IOptions<StripeReconciliationOptions> options, TimeProvider time, ILogger<ReconcilerStarter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Enabled)
        {
            LogOn(logger, settings.ApiBase ?? "https://api.stripe.com", settings.ReconcileInterval, settings.WebhookEndpointId ?? "(not set)");
        }
        else
        {
            LogOff(logger, StripeReconcilerGrain.OffReason);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IStripeReconcilerGrain>(0).StartAsync();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogNotYet(logger, ex.Message);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 2320, Level = LogLevel.Information, Message = "Stripe reconciliation is on: {ApiBase} every {Interval}, webhook endpoint {EndpointId}")]
    private static partial void LogOn(ILogger logger, string apiBase, TimeSpan interval, string endpointId);

    [LoggerMessage(EventId = 2321, Level = LogLevel.Information, Message = "Stripe reconciliation is off: {Reason}")]
    private static partial void LogOff(ILogger logger, string reason);

    [LoggerMessage(EventId = 2322, Level = LogLevel.Debug, Message = "Stripe reconciliation reminder not set yet: {Reason}; trying again")]
    private static partial void LogNotYet(ILogger logger, string reason);
}
