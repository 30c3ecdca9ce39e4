namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>The <c>documentation_url</c> values GitHub puts in its error bodies.</summary>
internal static class GitHubDocs
{
    public const string Rest = "https://docs.github.com/rest";
    public const string Dispatch = "https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event";
    public const string GetRun = "https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run";
    public const string PrimaryRateLimit = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits";
    public const string SecondaryRateLimit = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits";
}
