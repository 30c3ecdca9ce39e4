namespace Provisioning.ActionsSimulator.Runs;

/// <summary>No runner ever picks a run up: it stays <c>queued</c>, and its workflow never calls back.</summary>
internal sealed class IdleRunPlayer : IRunPlayer
{
    public void Play(WorkflowRun run)
    {
    }
}
