using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// The Stripe API simulator (tools/StripeSimulator) as a separate process on a free loopback port, with typed access to
/// its control API. Settings are environment variables, e.g. <c>StripeSimulator__ApiKey</c>. See docs/stripe-simulator.md.
/// </summary>
public sealed class StripeSimulatorProcess : IAsyncDisposable
{
    public const string ApiKey = "sk_test_simulator_for_tests";
    public const string EndpointId = "we_test_simulator";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _control;

    private StripeSimulatorProcess(HostProcess process, Uri baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
        _control = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static string AssemblyPath { get; } = Path.Combine(
        Repository.Root, "tools", "StripeSimulator", "bin", Repository.Configuration, "net10.0", "Provisioning.StripeSimulator.dll");

    /// <summary>Where Stripe's API is, for <c>Stripe:ApiBase</c>.</summary>
    public Uri BaseUrl { get; }

    public HostProcess Process { get; }

    /// <summary>Settings for a silo that reconciles with this simulator (environment variable names).</summary>
    public IReadOnlyDictionary<string, string> SiloSettings => new Dictionary<string, string>
    {
        ["Stripe__ApiKey"] = ApiKey,
        ["Stripe__ApiBase"] = BaseUrl.ToString().TrimEnd('/'),
        ["Stripe__WebhookEndpointId"] = EndpointId,
    };

    /// <summary>Starts the simulator (deliveries signed with the tests' Stripe secret) and waits until it answers.</summary>
    public static async Task<StripeSimulatorProcess> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = baseUrl.ToString().TrimEnd('/'),
            ["StripeSimulator__ApiKey"] = ApiKey,
            ["StripeSimulator__WebhookSecret"] = TestSecrets.StripeWebhookSecret,
            ["StripeSimulator__WebhookEndpointId"] = EndpointId,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var simulator = new StripeSimulatorProcess(HostProcess.StartAssembly(AssemblyPath, environment, "stripe-simulator"), baseUrl);
        try
        {
            await simulator.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
            return simulator;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a paid checkout's event; it is delivered unless <paramref name="deliver"/> is false or deliveries are dropped.</summary>
    public async Task<StripeSimCheckout> CheckoutAsync(string userId, string agentId, long? created = null, bool? deliver = null)
    {
        using var response = await _control.PostAsJsonAsync("/_simulator/checkouts",
            new { userId, agentId, created, deliver }, Json);
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<StripeSimCheckout>(Json))!;
    }

    /// <summary>Delivers a held event now, even while deliveries are dropped (a late delivery).</summary>
    public async Task<StripeSimDelivery> DeliverAsync(string eventId)
    {
        using var response = await _control.PostAsync($"/_simulator/events/{eventId}/deliver", null);
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<StripeSimDelivery>(Json))!;
    }

    public async Task SetEndpointAsync(string? status = null, bool? dropDeliveries = null, string? url = null, int? apiDelayMilliseconds = null)
    {
        using var response = await _control.PutAsJsonAsync("/_simulator/endpoint", new { status, dropDeliveries, url, apiDelayMilliseconds }, Json);
        await EnsureSuccessAsync(response);
    }

    public async Task AddFaultAsync(int status, int times = 1, int retryAfterSeconds = 1)
    {
        using var response = await _control.PostAsJsonAsync("/_simulator/faults", new { status, times, retryAfterSeconds }, Json);
        await EnsureSuccessAsync(response);
    }

    public async Task<IReadOnlyList<StripeSimEvent>> GetEventsAsync() =>
        (await _control.GetFromJsonAsync<List<StripeSimEvent>>("/_simulator/events", Json))!;

    public async Task<IReadOnlyList<StripeSimRequest>> GetRequestsAsync() =>
        (await _control.GetFromJsonAsync<List<StripeSimRequest>>("/_simulator/requests", Json))!;

    public async Task ResetRequestsAsync() => await EnsureSuccessAsync(await _control.DeleteAsync("/_simulator/requests"));

    /// <summary>Forgets every event, request and fault; the endpoint is enabled, delivering, without delay.</summary>
    public async Task ResetAsync()
    {
        await EnsureSuccessAsync(await _control.DeleteAsync("/_simulator/events"));
        await EnsureSuccessAsync(await _control.DeleteAsync("/_simulator/requests"));
        await EnsureSuccessAsync(await _control.DeleteAsync("/_simulator/faults"));
        await SetEndpointAsync("enabled", false, apiDelayMilliseconds: 0);
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        await Process.DisposeAsync();
    }

    private Task WaitUntilReadyAsync(TimeSpan timeout) => SimulatorControl.WaitUntilHealthyAsync(Process, _control, "Stripe simulator", timeout);

    private static Task EnsureSuccessAsync(HttpResponseMessage response) => SimulatorControl.EnsureSuccessAsync(response);
}

public sealed record StripeSimCheckout(string EventId, string SessionId, long Created, bool Delivered, int? DeliveryStatus, string? DeliveryOutcome);

public sealed record StripeSimDelivery(DateTimeOffset At, int? Status, string Outcome);

public sealed record StripeSimEvent(string Id, string Type, long Created, bool Delivered, IReadOnlyList<StripeSimDelivery> Deliveries);

public sealed record StripeSimRequest(DateTimeOffset At, string Method, string PathAndQuery, int Status);
