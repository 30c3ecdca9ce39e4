namespace Provisioning.ActionsSimulator.Runs;

/// <summary>Plays the dispatched workflow's side of a run, once the dispatch has been answered for.</summary>
public interface IRunPlayer
{
    void Play(WorkflowRun run);
}
