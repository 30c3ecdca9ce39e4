using Provisioning.Jobs;

namespace Provisioning.Grains.Jobs;

/// <summary>The persisted state of a provisioning job. Changed only through <see cref="JobStateMachine"/>.</summary>
[GenerateSerializer]
public sealed class JobState
{
    [Id(0)] public bool Created { get; set; }
    [Id(1)] public string StripeEventId { get; set; } = "";
    [Id(2)] public string UserId { get; set; } = "";
    [Id(3)] public string AgentId { get; set; } = "";
    [Id(4)] public string Region { get; set; } = "";
    [Id(5)] public string? CheckoutSessionId { get; set; }
    [Id(6)] public JobStatus Status { get; set; }
    [Id(7)] public int Attempt { get; set; }
    [Id(8)] public string? RunId { get; set; }
    [Id(9)] public string? RunUrl { get; set; }
    [Id(10)] public DateTimeOffset CreatedAt { get; set; }
    [Id(11)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(12)] public string? LastError { get; set; }
    [Id(13)] public List<JobHistoryEntry> History { get; set; } = [];
    [Id(14)] public long Version { get; set; }
    [Id(15)] public DateTimeOffset PaidAt { get; set; }

    /// <summary>The job reached a terminal status and the user's slot has not been confirmed free yet.</summary>
    [Id(16)] public bool SlotReleasePending { get; set; }

    /// <summary>Dispatch requests sent for the current attempt.</summary>
    [Id(17)] public int DispatchTries { get; set; }

    /// <summary>No dispatch request before this time (backoff or a rate limit).</summary>
    [Id(18)] public DateTimeOffset? NextDispatchAt { get; set; }

    /// <summary>When the last dispatch request of the current attempt was started.</summary>
    [Id(19)] public DateTimeOffset? DispatchStartedAt { get; set; }

    /// <summary>The run's REST API address, when GitHub gave it.</summary>
    [Id(20)] public string? RunApiUrl { get; set; }

    /// <summary>What the succeeded run reported, as a JSON object.</summary>
    [Id(21)] public string? OutputJson { get; set; }

    /// <summary>The claiming run's last heartbeat (its claim counts as the first).</summary>
    [Id(22)] public DateTimeOffset? LastHeartbeatAt { get; set; }

    /// <summary>GitHub's re-run counter of the claiming run.</summary>
    [Id(23)] public int? RunAttempt { get; set; }

    /// <summary>When the current attempt was dispatched: the claim timeout counts from here.</summary>
    [Id(24)] public DateTimeOffset? DispatchedAt { get; set; }

    /// <summary>The run that claimed the current attempt; only it may heartbeat and finish the job.</summary>
    [Id(25)] public string? ClaimedBy { get; set; }

    /// <summary>Recent callback ids (webhook-id) and GitHub delivery ids already applied: replays have no second effect.</summary>
    [Id(26)] public List<string> SeenMessageIds { get; set; } = [];

    /// <summary>
    /// The W3C <c>traceparent</c> of the call that last queued the job (a webhook, a freed slot, a retry, a new attempt):
    /// a dispatch made by a later activation, after a restart, still belongs to that trace.
    /// </summary>
    [Id(27)] public string? DispatchTraceParent { get; set; }

    public JobSnapshot ToSnapshot(string jobId) => new(
        jobId, StripeEventId, UserId, AgentId, Region, Status, Attempt, RunId, RunUrl,
        CreatedAt, UpdatedAt, LastError, History.ToArray(), Version, OutputJson, LastHeartbeatAt, RunAttempt,
        PaidAt == default ? null : PaidAt);
}
