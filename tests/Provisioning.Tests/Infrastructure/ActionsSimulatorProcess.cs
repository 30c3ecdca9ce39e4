using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// The GitHub Actions simulator (tools/ActionsSimulator) as a separate process on a free loopback port, with typed access
/// to its control API, which it calls with the simulator's token. Settings are environment variables, e.g.
/// <c>Simulator__Token</c> (<see cref="DefaultToken"/> unless given). See docs/actions-simulator.md.
/// </summary>
public sealed class ActionsSimulatorProcess : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The simulator's token when the settings name none.</summary>
    public const string DefaultToken = "sim_test_token_for_the_control_api";

    private readonly HttpClient _control;

    private ActionsSimulatorProcess(HostProcess process, Uri baseUrl, string token)
    {
        Process = process;
        BaseUrl = baseUrl;
        Token = token;
        _control = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        _control.DefaultRequestHeaders.Authorization = new("Bearer", token);
    }

    /// <summary>The simulator's token (<c>Simulator:Token</c>): the GitHub API's and the control API's.</summary>
    public string Token { get; }

    /// <summary>A client of the control API that sends <see cref="Token"/>, for calls the typed methods do not make.</summary>
    public HttpClient Control => _control;

    /// <summary>The built simulator: <c>tools/ActionsSimulator/bin/{Debug|Release}/net10.0/Provisioning.ActionsSimulator.dll</c>.</summary>
    public static string AssemblyPath { get; } = Path.Combine(
        Repository.Root, "tools", "ActionsSimulator", "bin", Repository.Configuration, "net10.0", "Provisioning.ActionsSimulator.dll");

    /// <summary>Where GitHub's API is, for a dispatcher's <c>GitHub:ApiBaseUrl</c>.</summary>
    public Uri BaseUrl { get; }

    public HostProcess Process { get; }

    /// <summary>Starts the simulator and waits until <c>/_simulator/health</c> answers.</summary>
    public static async Task<ActionsSimulatorProcess> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, TimeSpan? readyTimeout = null, NetworkHost? host = null)
    {
        var baseUrl = host is null ? new Uri($"http://127.0.0.1:{FreePort.Next()}") : new Uri($"http://{host.Address}:8080");
        var environment = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ASPNETCORE_URLS"] = baseUrl.ToString().TrimEnd('/'),
        };
        environment.TryAdd("Simulator__Token", DefaultToken);
        if (host is not null)
        {
            // A host of its own is a network address: asked for on purpose.
            environment.TryAdd("Simulator__ListenBeyondLoopback", "true");
        }

        var simulator = new ActionsSimulatorProcess(
            HostProcess.StartAssembly(AssemblyPath, environment, "actions-simulator", host), baseUrl, environment["Simulator__Token"]!);
        try
        {
            await simulator.WaitUntilReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(30));
            return simulator;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Queues a fault (<c>POST /_simulator/faults</c>) and returns it as queued, defaults filled in.</summary>
    public async Task<SimulatorQueuedFault> AddFaultAsync(SimulatorFault fault)
    {
        using var response = await _control.PostAsJsonAsync("/_simulator/faults", fault, Json);
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<SimulatorQueuedFault>(Json))!;
    }

    public async Task<IReadOnlyList<SimulatorQueuedFault>> GetFaultsAsync() =>
        (await _control.GetFromJsonAsync<List<SimulatorQueuedFault>>("/_simulator/faults", Json))!;

    /// <summary>The request log in the order received; only one job's dispatches when <paramref name="jobId"/> is given.</summary>
    public async Task<IReadOnlyList<SimulatorRequest>> GetRequestsAsync(string? jobId = null) =>
        (await _control.GetFromJsonAsync<List<SimulatorRequest>>(
            jobId is null ? "/_simulator/requests" : $"/_simulator/requests?jobId={Uri.EscapeDataString(jobId)}", Json))!;

    /// <summary>Removes every pending fault, standing ones too (<c>DELETE /_simulator/faults</c>); the logs stay.</summary>
    public async Task ClearFaultsAsync() => await EnsureSuccessAsync(await _control.DeleteAsync("/_simulator/faults"));

    /// <summary>Empties the request log, the fault queue, the callback log and the run behaviours.</summary>
    public async Task ClearAsync()
    {
        await EnsureSuccessAsync(await _control.DeleteAsync("/_simulator/faults"));
        await EnsureSuccessAsync(await _control.DeleteAsync("/_simulator/requests"));
        await EnsureSuccessAsync(await _control.DeleteAsync("/_simulator/behaviours"));
        await EnsureSuccessAsync(await _control.DeleteAsync("/_simulator/callbacks"));
    }

    /// <summary>Queues a run behaviour (<c>POST /_simulator/behaviours</c>) for the next matching run; returns it as queued.</summary>
    public async Task<SimulatorQueuedBehaviour> AddBehaviourAsync(SimulatorBehaviour behaviour)
    {
        using var response = await _control.PostAsJsonAsync("/_simulator/behaviours", behaviour, Json);
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<SimulatorQueuedBehaviour>(Json))!;
    }

    public async Task<IReadOnlyList<SimulatorQueuedBehaviour>> GetBehavioursAsync() =>
        (await _control.GetFromJsonAsync<List<SimulatorQueuedBehaviour>>("/_simulator/behaviours", Json))!;

    /// <summary>The callbacks the simulated runs sent, in the order sent (each try its own entry); only one job's when given.</summary>
    public async Task<IReadOnlyList<SimulatorCallback>> GetCallbacksAsync(string? jobId = null) =>
        (await _control.GetFromJsonAsync<List<SimulatorCallback>>(
            jobId is null ? "/_simulator/callbacks" : $"/_simulator/callbacks?jobId={Uri.EscapeDataString(jobId)}", Json))!;

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        await Process.DisposeAsync();
    }

    private Task WaitUntilReadyAsync(TimeSpan timeout) => SimulatorControl.WaitUntilHealthyAsync(Process, _control, "Actions simulator", timeout);

    private static Task EnsureSuccessAsync(HttpResponseMessage response) => SimulatorControl.EnsureSuccessAsync(response);
}

/// <summary>
/// A fault to queue. <see cref="Times"/>: how many matching dispatches it applies to (null: 1; 0: until cleared).
/// <see cref="Seconds"/>: timeout hold, rate-limit retry-after, or time to the rate-limit reset. See docs/actions-simulator.md.
/// </summary>
public sealed record SimulatorFault(
    string Kind,
    int? Times = null,
    string? JobId = null,
    int? Status = null,
    int? Seconds = null,
    int? Milliseconds = null,
    string? Message = null);

/// <summary>
/// A run behaviour to queue for the next run dispatched for <see cref="JobId"/> (every job when null): <c>silent</c>,
/// <c>stop-heartbeats</c>, <c>fail</c> (<see cref="Retryable"/>, <see cref="Message"/>, <see cref="Milliseconds"/>),
/// <c>stale-attempt</c> (<see cref="Attempt"/>), <c>slow</c> (<see cref="Milliseconds"/>). See docs/actions-simulator.md.
/// </summary>
public sealed record SimulatorBehaviour(
    string Kind,
    string? JobId = null,
    int? Times = null,
    int? Milliseconds = null,
    bool? Retryable = null,
    string? Message = null,
    int? Attempt = null);
