using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.StripeSimulator.Api;
using Provisioning.StripeSimulator.Events;

namespace Provisioning.StripeSimulator;

public static class StripeSimulatorExtensions
{
    /// <summary>
    /// Registers the simulator with its settings (<see cref="StripeSimulatorOptions"/>, checked at start), listening on
    /// <see cref="StripeSimulatorOptions.DefaultUrl"/> unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> say otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddStripeSimulator(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.HttpPortsKey]))
        {
            builder.Configuration[WebHostDefaults.ServerUrlsKey] = StripeSimulatorOptions.DefaultUrl;
        }

        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeSimulatorOptions>, StripeSimulatorOptionsValidation>());
        builder.Services.AddOptions<StripeSimulatorOptions>().BindConfiguration(StripeSimulatorOptions.Section).ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EventStore>();
        builder.Services.AddSingleton<ApiFaults>();
        builder.Services.AddSingleton<ApiRequestLog>();
        builder.Services.AddSingleton<EndpointState>();
        builder.Services.AddSingleton<WebhookDelivery>();
        builder.Services.AddHttpClient(WebhookDelivery.HttpClientName)
            .ConfigureHttpClient((services, http) =>
                http.Timeout = services.GetRequiredService<IOptions<StripeSimulatorOptions>>().Value.DeliveryTimeout);
        return builder;
    }
}
