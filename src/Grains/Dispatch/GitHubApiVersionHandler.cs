namespace Provisioning.Grains.Dispatch;

/// <summary>Pins every request to one REST API version, so a change of GitHub's default cannot change the answers.</summary>
internal sealed class GitHubApiVersionHandler : DelegatingHandler
{
    public const string Version = "2022-11-28";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("X-GitHub-Api-Version");
        request.Headers.Add("X-GitHub-Api-Version", Version);
        return base.SendAsync(request, cancellationToken);
    }
}
