namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>A workflow file that can be dispatched, known by its file name or its numeric id.</summary>
public sealed record Workflow(long Id, string FileName)
{
    /// <summary>The <c>workflow_dispatch</c> inputs of provision-agent.yml, all required strings.</summary>
    public static IReadOnlyList<string> Inputs { get; } = ["job_id", "agent_id", "region", "callback_url", "attempt"];

    public string Name => System.IO.Path.GetFileNameWithoutExtension(FileName);

    public string Path => $".github/workflows/{FileName}";
}
