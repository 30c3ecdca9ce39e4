using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Observability;

[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetrySystem>
{
    public const string Name = "Telemetry";
}

/// <summary>
/// The service as processes (two silos, the gateway, the GitHub Actions simulator playing every run to success), with every
/// host exporting its traces, logs and metrics by OTLP to an <see cref="OtlpReceiver"/> in the test, and serving
/// <c>/metrics</c>.
/// </summary>
public sealed partial class TelemetrySystem : IAsyncLifetime
{
    public OtlpReceiver Otlp { get; private set; } = null!;

    public TestSystem System { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Otlp = await OtlpReceiver.StartAsync();
        System = new TestSystem { WithSimulator = true, SiloCount = 2 };
        foreach (var (key, value) in Otlp.ExporterSettings)
        {
            System.SiloSettings[key] = value;
            System.GatewaySettings[key] = value;
        }

        await System.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await System.DisposeAsync();
        await Otlp.DisposeAsync();
    }

    /// <summary>Each silo's HTTP address, as the silo printed it when it started listening.</summary>
    public IReadOnlyList<Uri> SiloUrls => [.. System.Silos.Select(ListeningUrl)];

    /// <summary><c>GET /metrics</c> of a host, parsed; the operator key is sent (the gateway's endpoint is under the read policy).</summary>
    public static async Task<PrometheusText> ScrapeAsync(Uri host)
    {
        using var http = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestSecrets.OperatorKey);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private static Uri ListeningUrl(HostProcess silo) =>
        ListeningLine().Match(silo.Output) is { Success: true } match
            ? new Uri(match.Groups[1].Value)
            : throw new InvalidOperationException($"{silo.Name} printed no 'Now listening on' line\n{silo.Tail(40)}");

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
