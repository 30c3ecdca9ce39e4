using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using Provisioning.Silo;

namespace Provisioning.UnitTests.Observability;

/// <summary>
/// How often a silo samples its Orleans counters for the dashboard: the package's own sampler runs every second unless told
/// otherwise, and its gauges walk every activation, so the silo gives it <c>Orleans:Dashboard:CounterUpdateIntervalMs</c>.
/// </summary>
public sealed class DashboardCounterSamplingTests
{
    [Fact]
    public void CounterSampler_UsesTheDefaultInterval()
    {
        Assert.Equal(SiloDashboardExtensions.DefaultCounterUpdateIntervalMs, SamplerInterval(configured: null));
    }

    [Fact]
    public void CounterSampler_UsesTheConfiguredInterval()
    {
        Assert.Equal(4_321, SamplerInterval(configured: "4321"));
    }

    private static int SamplerInterval(string? configured)
    {
        var builder = Host.CreateApplicationBuilder();
        if (configured is not null)
        {
            builder.Configuration["Orleans:Dashboard:CounterUpdateIntervalMs"] = configured;
        }

        builder.UseOrleans(silo => silo.UseLocalhostClustering());
        builder.AddSiloDashboard();
        using var host = builder.Build();

        var samplerType = typeof(DashboardOptions).Assembly.GetType("Orleans.Dashboard.DashboardHost", throwOnError: true)!;
        var sampler = host.Services.GetRequiredService(samplerType);
        var interval = samplerType.GetProperty("ExportIntervalMilliseconds", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!;
        return (int)interval.GetValue(sampler)!;
    }
}
