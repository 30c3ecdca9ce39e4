using Provisioning.Grains.Dispatch;

namespace Provisioning.UnitTests.Dispatch;

public sealed class DispatchUriTests
{
    [Theory]
    [InlineData("https://api.github.com", "https://api.github.com/repos/acme/agents/actions/workflows/provision-agent.yml/dispatches")]
    [InlineData("https://api.github.com/", "https://api.github.com/repos/acme/agents/actions/workflows/provision-agent.yml/dispatches")]
    [InlineData("https://github.example.com/", "https://github.example.com/api/v3/repos/acme/agents/actions/workflows/provision-agent.yml/dispatches")]
    [InlineData("https://github.example.com/api/v3", "https://github.example.com/api/v3/repos/acme/agents/actions/workflows/provision-agent.yml/dispatches")]
    public void DispatchUri_ApiBase_FollowsGitHubAndEnterpriseLayouts(string apiBase, string expected)
    {
        var options = new GitHubOptions { ApiBaseUrl = apiBase, Owner = "acme", Repo = "agents" };

        Assert.Equal(expected, GitHubWorkflowDispatcher.DispatchUri(options).ToString());
    }

    [Fact]
    public void CallbackUrl_PublicUrl_IsTheOriginalAppsCallbackPath() =>
        Assert.Equal("https://aura.example.com/api/webhooks/github", GitHubWorkflowDispatcher.CallbackUrl("https://aura.example.com/"));
}
