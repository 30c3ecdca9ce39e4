using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Provisioning.ActionsSimulator.GitHub;

namespace Provisioning.ActionsSimulator.Runs;

/// <summary>The runs dispatched since the simulator started, in memory; ids count up from <c>Simulator:FirstRunId</c>.</summary>
public sealed class RunStore(IOptions<SimulatorOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<long, WorkflowRun> _runs = new();
    private long _lastId = options.Value.FirstRunId - 1;

    public WorkflowRun Create(string owner, string repo, Workflow workflow, DispatchBody body, GitHubUrls urls)
    {
        var id = Interlocked.Increment(ref _lastId);
        var now = time.GetUtcNow();
        var run = new WorkflowRun(
            id,
            (int)(id - options.Value.FirstRunId + 1),
            owner,
            repo,
            workflow,
            body.Ref,
            body.Inputs,
            "queued",
            null,
            now,
            now,
            urls.Run(owner, repo, id),
            urls.RunPage(owner, repo, id));
        _runs[id] = run;
        return run;
    }

    /// <summary>The run with this id in this repository (case-insensitive, as GitHub matches it); null when there is none.</summary>
    public WorkflowRun? Find(string owner, string repo, long id) =>
        _runs.TryGetValue(id, out var run)
        && string.Equals(run.Owner, owner, StringComparison.OrdinalIgnoreCase)
        && string.Equals(run.Repo, repo, StringComparison.OrdinalIgnoreCase)
            ? run
            : null;

    /// <summary>Changes a run (its status, its conclusion) and its <c>updated_at</c>; null when there is no such run.</summary>
    public WorkflowRun? Update(long id, Func<WorkflowRun, WorkflowRun> change)
    {
        while (_runs.TryGetValue(id, out var run))
        {
            var changed = change(run) with { UpdatedAt = time.GetUtcNow() };
            if (_runs.TryUpdate(id, changed, run))
            {
                return changed;
            }
        }

        return null;
    }
}
