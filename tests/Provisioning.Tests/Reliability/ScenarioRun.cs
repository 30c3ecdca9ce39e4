namespace Provisioning.Tests.Reliability;

/// <summary>
/// One scenario as the checker sees it: what was delivered, the users it used, when its fault healed, and what each job
/// is expected to end as (<c>succeeded</c> unless said otherwise).
/// </summary>
public sealed class ScenarioRun(string name)
{
    public string Name { get; } = name;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public DeliveryLog Deliveries { get; } = new();

    /// <summary>When the last fault was undone; the time to recover counts from here. Defaults to the check's start.</summary>
    public DateTimeOffset? HealedAt { get; set; }

    /// <summary>Every user id the scenario's checkouts name: a job of these users that no sent event explains is a phantom.</summary>
    public HashSet<string> Users { get; } = [];

    /// <summary>Final statuses allowed for particular jobs; every other job must end <c>succeeded</c>.</summary>
    public Dictionary<string, string[]> ExpectedStatuses { get; } = [];

    /// <summary>Jobs that must have needed more than one attempt (their first run was made to stall or fail).</summary>
    public HashSet<string> ExpectRetried { get; } = [];

    /// <summary>Scenario-specific figures for the report (e.g. answers 503 during the outage, forged callbacks rejected).</summary>
    public Dictionary<string, object> Figures { get; } = [];

    /// <summary>Called by the checker once the system settled, before it writes the figures: for figures only known then.</summary>
    public Func<Task>? AfterSettled { get; set; }

    public string[] Expected(string jobId) => ExpectedStatuses.TryGetValue(jobId, out var statuses) ? statuses : ["succeeded"];
}
