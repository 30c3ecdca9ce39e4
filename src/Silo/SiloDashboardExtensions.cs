using System.Reflection;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace Provisioning.Silo;

public static class SiloDashboardExtensions
{
    /// <summary>
    /// How often, by default, a silo samples its Orleans counters for the dashboard. Each sample observes every Orleans
    /// gauge, some of which walk all of the silo's activations and its grain directory cache.
    /// </summary>
    public const int DefaultCounterUpdateIntervalMs = 10_000;

    /// <summary>The dashboard's service that samples a silo's Orleans counters (internal to the package).</summary>
    private const string CounterSampler = "Orleans.Dashboard.DashboardHost";

    /// <summary>
    /// Collects this silo's grain and silo statistics for the Orleans dashboard, which the gateway serves at
    /// <c>/dashboard</c> to operators. The silo serves no dashboard pages itself. <c>Orleans:Dashboard</c> binds
    /// <see cref="DashboardOptions"/>, e.g. <c>CounterUpdateIntervalMs</c> (default <see cref="DefaultCounterUpdateIntervalMs"/>).
    /// </summary>
    public static IHostApplicationBuilder AddSiloDashboard(this IHostApplicationBuilder builder)
    {
        builder.UseOrleans(silo =>
        {
            silo.AddDashboard(options => options.CounterUpdateIntervalMs = DefaultCounterUpdateIntervalMs);
            SampleCountersAtTheConfiguredInterval(silo.Services);
        });
        builder.Services.Configure<DashboardOptions>(builder.Configuration.GetSection("Orleans:Dashboard"));
        return builder;
    }

    /// <summary>
    /// The dashboard samples a silo's Orleans counters through an OpenTelemetry reader of its own, every second whatever
    /// <see cref="DashboardOptions.CounterUpdateIntervalMs"/> says. Among those counters are gauges that walk every activation
    /// and the whole grain directory cache: on silos holding tens of thousands of activations, that sampling took about 6%
    /// of the machine's CPU, busy or idle, and it grows with the number of activations. The service that owns the reader
    /// takes its interval from a property the package sets nowhere; it is set here, from the options, as the service is
    /// created. The type is internal to the package, so it is found by name: if a new version renames it or the property,
    /// the silo does not start and says so.
    /// </summary>
    private static void SampleCountersAtTheConfiguredInterval(IServiceCollection services)
    {
        var type = typeof(DashboardOptions).Assembly.GetType(CounterSampler);
        var interval = type?.GetProperty("ExportIntervalMilliseconds", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        var registration = services.SingleOrDefault(service => !service.IsKeyedService && service.ServiceType == type);
        if (type is null || interval?.PropertyType != typeof(int) || registration?.Lifetime != ServiceLifetime.Singleton)
        {
            throw new InvalidOperationException(
                $"This version of the Orleans dashboard has no singleton {CounterSampler} with an ExportIntervalMilliseconds property; "
                + $"{nameof(SiloDashboardExtensions)}.{nameof(SampleCountersAtTheConfiguredInterval)} needs updating for it.");
        }

        services.Remove(registration);
        services.AddSingleton(type, provider =>
        {
            var sampler = ActivatorUtilities.CreateInstance(provider, type);
            interval.SetValue(sampler, provider.GetRequiredService<IOptions<DashboardOptions>>().Value.CounterUpdateIntervalMs);
            return sampler;
        });
    }
}
