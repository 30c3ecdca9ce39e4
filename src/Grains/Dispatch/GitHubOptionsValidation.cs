using Microsoft.Extensions.Options;

namespace Provisioning.Grains.Dispatch;

/// <summary>Checks at silo start that a workflow can be dispatched; each failure names the key (and the original app's alias).</summary>
internal sealed class GitHubOptionsValidation(IOptions<DispatchOptions> dispatch) : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        var failures = new List<string>();
        Require(options.Token, "GitHub:Token (or GITHUB_PAT)");
        Require(options.Owner, "GitHub:Owner (or GITHUB_REPO_OWNER)");
        Require(options.Repo, "GitHub:Repo (or GITHUB_REPO_NAME)");
        Require(options.Workflow, "GitHub:Workflow");
        Require(options.Ref, "GitHub:Ref");
        if (!IsHttpUrl(options.ApiBaseUrl))
        {
            failures.Add($"GitHub:ApiBaseUrl must be an absolute http(s) URL, not '{options.ApiBaseUrl}'.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add("GitHub:RequestTimeout must be positive.");
        }

        var publicUrl = dispatch.Value.PublicUrl;
        if (string.IsNullOrWhiteSpace(publicUrl))
        {
            failures.Add("Gateway:PublicUrl (or NEXT_PUBLIC_APP_URL) is not set: the workflow needs the gateway's public address to call back.");
        }
        else if (!IsHttpUrl(publicUrl))
        {
            failures.Add($"Gateway:PublicUrl must be an absolute http(s) URL, not '{publicUrl}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Require(string value, string key)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"{key} is not set: it is required to dispatch the provisioning workflow.");
            }
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
