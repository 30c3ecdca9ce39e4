using System.Net;
using Provisioning.Tests.Dashboard;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;
using static Microsoft.Playwright.Assertions;

namespace Provisioning.Tests.Security;

/// <summary>
/// Every answer carries <c>X-Content-Type-Options: nosniff</c> and a Content-Security-Policy, and the jobs dashboard works
/// under it: Chromium loads the jobs page and a job's page, shows their data, and reports no violation of the policy.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ContentSecurityPolicyTests(DashboardFixture fixture)
{
    private const string Policy = "default-src 'self'; frame-ancestors 'none'";

    [Theory]
    [InlineData("/")]
    [InlineData("/api/jobs?limit=1")]
    [InlineData("/api/jobs/no-such-job")]
    [InlineData("/readyz")]
    public async Task Answer_CarriesNosniffAndThePolicy(string path)
    {
        using var response = await fixture.System.Http.GetAsync(path);

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(Policy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Dashboard_UnderThePolicy_LoadsWithoutViolations()
    {
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-csp", "eu-west");
        Assert.Equal(HttpStatusCode.OK, (await fixture.System.Http.DeliverAsync(checkout)).Status);
        var page = await fixture.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        await page.AddInitScriptAsync(
            "window.__violations = []; document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));");

        var jobs = await page.GotoAsync("/");
        await Expect(page.Locator($"tr[data-job-id='{checkout.Id}']")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var reported = await page.EvaluateAsync<string[]>("window.__violations");
        await page.GotoAsync($"/job.html?id={Uri.EscapeDataString(checkout.Id)}");
        await Expect(page.Locator("#job-status")).Not.ToBeEmptyAsync(new() { Timeout = 60_000 });
        var reportedOnJob = await page.EvaluateAsync<string[]>("window.__violations");

        Assert.Equal(Policy, await jobs!.HeaderValueAsync("content-security-policy"));
        Assert.Empty(reported);
        Assert.Empty(reportedOnJob);
        Assert.Empty(violations);
    }
}
