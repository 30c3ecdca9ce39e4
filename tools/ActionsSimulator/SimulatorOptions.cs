using Provisioning.ActionsSimulator.Callbacks;
using Provisioning.ActionsSimulator.Faults;

namespace Provisioning.ActionsSimulator;

/// <summary>What the simulator accepts, bound from the <c>Simulator</c> section (environment variables <c>Simulator__Token</c>, ...).</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>The workflow served when <see cref="Workflows"/> is empty.</summary>
    public const string DefaultWorkflow = "provision-agent.yml";

    /// <summary>Where the simulator listens when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5090";

    /// <summary>
    /// <c>Simulator:Token</c>: the only token accepted (<c>Authorization: Bearer ...</c> or <c>token ...</c>), by the GitHub API
    /// and by the control API under <c>/_simulator</c> alike. Required.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// <c>Simulator:ListenBeyondLoopback</c>: let the simulator listen on addresses other than loopback (<c>--urls</c>,
    /// <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>). Default: false, and such an address stops it at start.
    /// </summary>
    public bool ListenBeyondLoopback { get; set; }

    /// <summary><c>Simulator:Owner</c>: the only repository owner served (case-insensitive). Default: any.</summary>
    public string? Owner { get; set; }

    /// <summary><c>Simulator:Repo</c>: the only repository name served (case-insensitive). Default: any.</summary>
    public string? Repo { get; set; }

    /// <summary>
    /// <c>Simulator:Workflows</c>: the workflow files that can be dispatched (<c>Simulator__Workflows__0=...</c>), each with the
    /// inputs of <see cref="GitHub.Workflow.Inputs"/>. Default: <c>provision-agent.yml</c>.
    /// </summary>
    public string[] Workflows { get; set; } = [];

    /// <summary><c>Simulator:FirstRunId</c>: the id of the first run created. Default: 100000.</summary>
    public long FirstRunId { get; set; } = 100_000;

    /// <summary><c>Simulator:MaxLoggedRequests</c>: how many requests the log keeps; the oldest go first. Default: 10000.</summary>
    public int MaxLoggedRequests { get; set; } = 10_000;

    /// <summary>
    /// <c>Simulator:Faults</c>: faults queued at start, in the shape <c>POST /_simulator/faults</c> takes
    /// (<c>Simulator__Faults__0__Kind=status</c>, <c>Simulator__Faults__0__Status=503</c>, <c>Simulator__Faults__0__Times=0</c>).
    /// Default: none.
    /// </summary>
    public List<FaultSpec> Faults { get; set; } = [];

    /// <summary>
    /// <c>Simulator:CallbackSecret</c>: the <c>whsec_&lt;base64&gt;</c> secret the simulated workflow signs its callbacks with
    /// (Standard Webhooks). Default: none, and then no run is played: runs stay <c>queued</c> and nothing calls back.
    /// </summary>
    public string? CallbackSecret { get; set; }

    /// <summary>
    /// <c>Simulator:CallbackUrl</c>: where played runs call back, as the workflow repository's <c>PROVISIONING_CALLBACK_URL</c>
    /// variable says. A run dispatched with another <c>callback_url</c> fails without
    /// calling back, as the workflow template does. Required when <see cref="CallbackSecret"/> is set.
    /// </summary>
    public string? CallbackUrl { get; set; }

    /// <summary><c>Simulator:HeartbeatInterval</c>: time between a played run's heartbeats. Default: 2 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>Simulator:ProvisionDuration</c>: how long a played run "provisions" between its claim and its complete. Default: 3 s.</summary>
    public TimeSpan ProvisionDuration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// <c>Simulator:PickupDelay</c>: how long a run stays <c>queued</c> before a runner picks it up and claims the job. Default: 1 s,
    /// so that the dispatcher has recorded the dispatch before the claim arrives, as with GitHub, whose runners take seconds.
    /// </summary>
    public TimeSpan PickupDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Simulator:CallbackTimeout</c>: a callback without an answer by then counts as a network error. Default: 10 s.</summary>
    public TimeSpan CallbackTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Simulator:CallbackTries</c>: how often one callback is sent when it meets network errors or 5xx. Default: 4.</summary>
    public int CallbackTries { get; set; } = 4;

    /// <summary><c>Simulator:CallbackRetryDelay</c>: the wait before the second try of a callback; it doubles for each further try. Default: 250 ms.</summary>
    public TimeSpan CallbackRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// <c>Simulator:Behaviours</c>: run behaviours queued at start, in the shape <c>POST /_simulator/behaviours</c> takes
    /// (<c>Simulator__Behaviours__0__Kind=silent</c>). Default: none.
    /// </summary>
    public List<BehaviourSpec> Behaviours { get; set; } = [];
}
