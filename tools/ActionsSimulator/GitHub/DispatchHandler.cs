using Microsoft.AspNetCore.Http.Features;
using Provisioning.ActionsSimulator.Faults;
using Provisioning.ActionsSimulator.Requests;
using Provisioning.ActionsSimulator.Runs;

namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>
/// <c>POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches</c>: a pending fault first, then GitHub's checks in
/// GitHub's order (User-Agent, token, repository, workflow, body), then a new run: 200 with its details when asked for, else 204.
/// </summary>
public sealed class DispatchHandler(
    FaultQueue faults, FaultEffects effects, GitHubAccess access, WorkflowCatalog workflows, RunStore runs, IRunPlayer player)
{
    public async Task<IResult> HandleAsync(string owner, string repo, string workflowId, HttpContext context)
    {
        var entry = context.Features.GetRequiredFeature<LoggedRequest>();
        var fault = faults.Take(DispatchFacts.From(entry.Record.Body));
        if (fault is not null)
        {
            entry.Update(r => r with { Fault = fault });
            if (await effects.ApplyAsync(fault, context, entry) is { } faulted)
            {
                return faulted;
            }
        }

        if (access.Refuse(context.Request, owner, repo, GitHubDocs.Dispatch) is { } refusal)
        {
            return refusal;
        }

        if (workflows.Find(workflowId) is not { } workflow)
        {
            return GitHubErrors.NotFound(GitHubDocs.Dispatch);
        }

        var (body, invalid) = DispatchBodyReader.Read(entry.Body);
        if (body is null)
        {
            return invalid!;
        }

        var run = runs.Create(owner, repo, workflow, body, GitHubUrls.Of(context.Request));
        entry.Update(r => r with { RunId = run.Id });
        player.Play(run);
        return body.ReturnRunDetails && fault?.Kind != FaultKinds.IgnoreRunDetails
            ? TypedResults.Json(RunDetails.Of(run), GitHubJson.Options)
            : TypedResults.NoContent();
    }
}
