namespace Provisioning.Grains.Dispatch;

/// <summary>
/// Where the provisioning workflow lives and how to reach GitHub's API. Bound from the <c>GitHub</c> section;
/// the original app's variables <c>GITHUB_PAT</c>, <c>GITHUB_REPO_OWNER</c> and <c>GITHUB_REPO_NAME</c> are accepted too.
/// </summary>
public sealed class GitHubOptions
{
    public const string Section = "GitHub";

    /// <summary><c>GitHub:Token</c>: a token allowed to dispatch workflows (fine-grained: Actions write). Required.</summary>
    public string Token { get; set; } = "";

    /// <summary><c>GitHub:Owner</c>: the provisioning repository's owner. Required.</summary>
    public string Owner { get; set; } = "";

    /// <summary><c>GitHub:Repo</c>: the provisioning repository. Required.</summary>
    public string Repo { get; set; } = "";

    /// <summary><c>GitHub:Workflow</c>: the workflow file (or id) to dispatch. Default <c>provision-agent.yml</c>.</summary>
    public string Workflow { get; set; } = "provision-agent.yml";

    /// <summary><c>GitHub:Ref</c>: the branch or tag the workflow runs on. Default <c>main</c>.</summary>
    public string Ref { get; set; } = "main";

    /// <summary>
    /// <c>GitHub:ApiBaseUrl</c>: the REST API's base address. Default <c>https://api.github.com/</c>. For GitHub Enterprise
    /// Server give the host (<c>https://github.example.com/</c>): <c>api/v3/</c> is appended, as Octokit does.
    /// </summary>
    public string ApiBaseUrl { get; set; } = "https://api.github.com/";

    /// <summary><c>GitHub:RequestTimeout</c>: how long one dispatch request may take before it counts as failed. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
