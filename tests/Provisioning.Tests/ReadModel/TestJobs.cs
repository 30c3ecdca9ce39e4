using Provisioning.Jobs;

namespace Provisioning.Tests.ReadModel;

/// <summary>Hand-made job snapshots for driving the read model without grains.</summary>
public static class TestJobs
{
    /// <summary>A job's snapshot after <paramref name="path"/>: created in the first status, then moved through the others; version = history length.</summary>
    public static JobSnapshot Snapshot(
        string jobId, string userId, DateTimeOffset createdAt, params JobStatus[] path)
    {
        var history = new List<JobHistoryEntry>();
        JobStatus? from = null;
        foreach (var (to, i) in path.Select((s, i) => (s, i)))
        {
            var actor = i == 0 ? JobActor.Stripe : to == JobStatus.Provisioning ? JobActor.Github : JobActor.System;
            history.Add(new JobHistoryEntry(createdAt.AddSeconds(i), from, to, actor, $"step {i}: {to}"));
            from = to;
        }

        var status = path[^1];
        var running = status is JobStatus.Provisioning or JobStatus.Succeeded or JobStatus.Failed;
        return new JobSnapshot(
            JobId: jobId,
            StripeEventId: jobId,
            UserId: userId,
            AgentId: $"agent-{jobId}",
            Region: "us-east",
            Status: status,
            Attempt: 1,
            RunId: running ? "9001" : null,
            RunUrl: running ? "https://github.com/acme/infra/actions/runs/9001" : null,
            CreatedAt: createdAt,
            UpdatedAt: history[^1].At,
            LastError: status == JobStatus.Failed ? "terraform apply failed" : null,
            History: history,
            Version: history.Count);
    }

    /// <summary>A Stripe-like event id, unique per call.</summary>
    public static string NewId(string prefix = "evt_test") => $"{prefix}_{Guid.NewGuid():N}";
}
