using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace Provisioning.Gateway.GitHubEvents;

/// <summary>
/// Finds the job a GitHub workflow run belongs to: by its run id in the read model (<c>jobs.run_id</c>, indexed by
/// <c>db/0006_callbacks.sql</c>), or else from the run's title, which the workflow template sets to
/// <c>provision {job_id} attempt {attempt}</c> (<c>run-name</c>), for a run the read model does not know yet.
/// </summary>
public sealed partial class RunJobLookup(NpgsqlDataSource dataSource)
{
    public const string ByRunId = "SELECT job_id FROM jobs WHERE run_id = $1 ORDER BY updated_at DESC LIMIT 1";

    /// <summary>The job id and how it was found (<c>run id</c> or <c>run title</c>), or null.</summary>
    public async Task<(string JobId, string FoundBy)?> FindAsync(WorkflowRunEvent run, CancellationToken cancellationToken)
    {
        await using (var command = dataSource.CreateCommand(ByRunId))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.RunId, NpgsqlDbType = NpgsqlDbType.Text });
            if (await command.ExecuteScalarAsync(cancellationToken) is string jobId)
            {
                return (jobId, "run id");
            }
        }

        return (JobIdInTitle(run.DisplayTitle) ?? JobIdInTitle(run.Name)) is { } fromTitle ? (fromTitle, "run title") : null;
    }

    /// <summary>The job id in a title of the form <c>provision {job_id} attempt {n}</c>, or null.</summary>
    public static string? JobIdInTitle(string? title) =>
        title is not null && RunName().Match(title) is { Success: true } match ? match.Groups["job"].Value : null;

    [GeneratedRegex(@"\bprovision\s+(?<job>[A-Za-z0-9_\-.:]{1,200})\s+attempt\s+\d+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex RunName();
}
