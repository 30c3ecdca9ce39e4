using System.Net;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Cli;

/// <summary>The CLI tests share one running system with the GitHub Actions simulator.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliFixture>
{
    public const string Name = "cli";
}

/// <summary>
/// One system (database, silo, gateway, Actions simulator) and a working folder holding <c>.local/dev.env</c> with the
/// system's secrets, as <c>./run.sh</c> writes it: the CLI runs there and finds its secrets and key on its own.
/// </summary>
public sealed class CliFixture : IAsyncLifetime
{
    public TestSystem System { get; } = new() { WithSimulator = true };

    /// <summary>A folder with <c>.local/dev.env</c>; the CLI runs here unless a test says otherwise.</summary>
    public string WorkingDirectory { get; } = Directory.CreateTempSubdirectory("provisioning-cli-").FullName;

    /// <summary>A folder without any env file.</summary>
    public string EmptyDirectory { get; } = Directory.CreateTempSubdirectory("provisioning-cli-empty-").FullName;

    public HttpClient Http => System.Http;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(WorkingDirectory, ".local"));
        await File.WriteAllLinesAsync(Path.Combine(WorkingDirectory, ".local", "dev.env"),
        [
            "# Secrets of the local system, made by ./run.sh. Local tools (tests, CLI) read them from here.",
            $"Stripe__WebhookSecrets__0={TestSecrets.StripeWebhookSecret}",
            $"Callbacks__Secrets__0={TestSecrets.CallbackSecret}",
            $"Gateway__OperatorKeys__{TestSecrets.OperatorName}={TestSecrets.OperatorKey}",
            $"GitHub__WebhookSecret={TestSecrets.GitHubWebhookSecret}",
        ]);
        await System.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await System.DisposeAsync();
        Directory.Delete(WorkingDirectory, recursive: true);
        Directory.Delete(EmptyDirectory, recursive: true);
    }

    /// <summary>Runs <c>provisioning ARGS</c> in <see cref="WorkingDirectory"/> with <c>PROVISIONING_GATEWAY</c> set to the system's gateway.</summary>
    public Task<CliRun> RunAsync(params string[] args) => RunInAsync(WorkingDirectory, null, args);

    /// <summary>Runs <c>provisioning ARGS</c> in <paramref name="directory"/> with the gateway's address and <paramref name="environment"/>.</summary>
    public Task<CliRun> RunInAsync(string directory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var variables = new Dictionary<string, string?> { ["PROVISIONING_GATEWAY"] = System.GatewayUrl.ToString() };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        return CliProcess.RunAsync(directory, variables, null, args);
    }

    /// <summary>The job as <c>GET /api/jobs/{id}</c> shows it, read by the test itself; null for 404.</summary>
    public async Task<JsonElement?> JobAsync(string jobId)
    {
        using var response = await Http.GetAsync($"/api/jobs/{Uri.EscapeDataString(jobId)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Waits until the job is in <paramref name="status"/> and returns it.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string jobId, string status) =>
        (await Eventually.UntilAsync(
            () => JobAsync(jobId),
            job => job is { } j && j.GetProperty("status").GetString() == status,
            TimeSpan.FromSeconds(60), $"job {jobId} to be {status}"))!.Value;

    /// <summary>A new job id (Stripe event id) that a test can queue simulator behaviours for before the checkout.</summary>
    public static string NewEventId() => $"evt_cli_{Guid.NewGuid():N}";

    /// <summary>Sends a paid checkout through the CLI and returns the job id it printed.</summary>
    public async Task<string> TriggerAsync(string user, string agent, string? eventId = null)
    {
        var args = new List<string> { "trigger", "checkout", "--user", user, "--agent", agent };
        if (eventId is not null)
        {
            args.AddRange(["--event-id", eventId]);
        }

        var run = await RunAsync([.. args]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Stdout.Trim();
    }
}
