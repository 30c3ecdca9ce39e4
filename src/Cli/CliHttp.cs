using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Cli.Gateway;

namespace Provisioning.Cli;

/// <summary>
/// The CLI's HTTP clients, configured once through <c>AddHttpClient</c>: the gateway's (JSON, the CLI's user agent, no
/// client-wide timeout because <see cref="GatewayClient"/> bounds each request itself) and the Stripe simulator's.
/// </summary>
public static class CliHttp
{
    /// <summary>The name of the client for the Stripe simulator's control API.</summary>
    public const string SimulatorClientName = "stripe-simulator";

    /// <summary>How long one request to the Stripe simulator may take.</summary>
    public static readonly TimeSpan SimulatorTimeout = TimeSpan.FromSeconds(30);

    public static ServiceProvider Create()
    {
        var services = new ServiceCollection();
        services.AddHttpClient(GatewayClient.HttpClientName, http =>
        {
            http.Timeout = Timeout.InfiniteTimeSpan;
            http.DefaultRequestHeaders.UserAgent.ParseAdd(GatewayClient.UserAgent);
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        });
        services.AddHttpClient(SimulatorClientName, http =>
        {
            http.Timeout = SimulatorTimeout;
            http.DefaultRequestHeaders.UserAgent.ParseAdd(GatewayClient.UserAgent);
        });
        return services.BuildServiceProvider();
    }
}
