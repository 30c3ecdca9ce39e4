using Provisioning.ActionsSimulator.GitHub;

namespace Provisioning.ActionsSimulator.Runs;

/// <summary>A run created by a dispatch, with the inputs it was dispatched with. <see cref="Status"/> is GitHub's run status.</summary>
public sealed record WorkflowRun(
    long Id,
    int RunNumber,
    string Owner,
    string Repo,
    Workflow Workflow,
    string Ref,
    IReadOnlyDictionary<string, string> Inputs,
    string Status,
    string? Conclusion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Url,
    string HtmlUrl);
