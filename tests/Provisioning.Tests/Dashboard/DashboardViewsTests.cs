using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Provisioning.Tests.Api;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;
using static Microsoft.Playwright.Assertions;

namespace Provisioning.Tests.Dashboard;

/// <summary>
/// The dashboard's charts, attention view and live updates in Chromium, against the real gateway, silo and GitHub Actions
/// simulator: checkouts go through the whole pipeline, one of them made to fail.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardViewsTests(DashboardFixture fixture)
{
    private const float Deadline = 60_000;

    [Fact]
    public async Task JobsPage_RunWithOneFailure_ChartsShowTheFigures()
    {
        var (succeeded, failed) = await RunTwoCheckoutsAsync($"quota exceeded {Guid.NewGuid():N}");
        var page = await fixture.NewPageAsync();
        var problems = WatchConsole(page);

        await page.GotoAsync("/");

        await Expect(page.Locator($"tr[data-job-id='{succeeded}'] td[data-label='Status']")).ToHaveTextAsync("succeeded", new() { Timeout = Deadline });
        await Expect(page.Locator($"tr[data-job-id='{failed}'] td[data-label='Status']")).ToHaveTextAsync("failed", new() { Timeout = Deadline });
        var summary = page.Locator("#stats-summary");
        await Expect(summary).ToHaveTextAsync(Figures(), new() { Timeout = Deadline });
        foreach (var chart in new[] { "#chart-jobs", "#chart-durations", "#chart-dispatch" })
        {
            await Expect(page.Locator($"{chart} canvas")).ToHaveCountAsync(1);
            await Expect(page.Locator($"{chart} .u-legend")).ToBeVisibleAsync();
        }

        // The summary says what the API says.
        var totals = (await ApiJson.GetAsync(fixture.System.Http, "/api/stats?window=1h")).Body.GetProperty("totals");
        await Expect(summary).ToContainTextAsync($"{totals.GetProperty("failed").GetInt64()} failed", new() { Timeout = Deadline });
        await DashboardFixture.ScreenshotAsync(page, "dashboard-charts");

        await page.Locator("#window").SelectOptionAsync("7d");
        await Expect(summary).ToHaveTextAsync(new Regex("^Last 7 days: [1-9]"), new() { Timeout = Deadline });
        Assert.True(problems.Count == 0, string.Join(" | ", problems));

        var phone = await fixture.NewPageAsync(phone: true);
        await phone.GotoAsync("/");
        await Expect(phone.Locator("#stats-summary")).ToHaveTextAsync(Figures(), new() { Timeout = Deadline });
        await Expect(phone.Locator("#chart-jobs canvas")).ToHaveCountAsync(1);
        var width = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the phone page scrolls sideways ({width} px wide)");
        await DashboardFixture.ScreenshotAsync(phone, "dashboard-phone");
    }

    [Fact]
    public async Task AttentionPage_FailedJob_ListedWithItsErrorAndRetriedFromThere()
    {
        var error = $"terraform apply failed: quota {Guid.NewGuid():N}";
        var (_, failed) = await RunTwoCheckoutsAsync(error);
        var page = await fixture.NewPageAsync();
        var problems = WatchConsole(page);
        await page.GotoAsync("/");

        // The count is in every page's header; one click (or Enter on the link) opens the view.
        await Expect(page.Locator("#attention-count")).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"), new() { Timeout = Deadline });
        await page.Locator("#attention-link").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/attention.html$"));

        var group = page.Locator("#failed-groups tr").Filter(new() { HasText = error });
        await Expect(group).ToHaveCountAsync(1, new() { Timeout = Deadline });
        await Expect(group.Locator("td[data-label='Jobs']")).ToHaveTextAsync("1");
        await Expect(group.Locator($"a[href='/job.html?id={failed}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#attention-count")).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"));
        await DashboardFixture.ScreenshotAsync(page, "dashboard-attention");

        var confirmations = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            confirmations.Add(dialog.Message);
            await dialog.AcceptAsync();
        };
        await group.Locator("button.retry-group").ClickAsync();
        await Expect(page.Locator("#key-dialog")).ToBeVisibleAsync();
        await page.Locator("#key-input").FillAsync(TestSecrets.OperatorKey);
        await page.Locator("#key-save").ClickAsync();

        await Expect(page.Locator("#retry-result")).ToHaveTextAsync("Retried 1 job.", new() { Timeout = Deadline });
        // The run's failure message is the job's last error, as the workflow's fail callback words it around the message.
        Assert.Matches($"^Retry the failed jobs with the error \".*{Regex.Escape(error)}.*\"\\? \\(1 in the newest failures\\)$", Assert.Single(confirmations));
        // The simulator failed the run once only: the new attempt succeeds, and the group leaves the view by itself.
        await Eventually.UntilAsync(
            async () => (await ApiJson.GetAsync(fixture.System.Http, $"/api/jobs/{failed}")).Body.GetProperty("status").GetString(),
            status => status == "succeeded", TimeSpan.FromSeconds(60), $"job {failed} to succeed after the retry");
        await Expect(group).ToHaveCountAsync(0, new() { Timeout = Deadline });
        var job = await ApiJson.GetAsync(fixture.System.Http, $"/api/jobs/{failed}");
        Assert.Contains(job.Body.GetProperty("history").EnumerateArray(),
            h => h.GetProperty("actor").GetString() == "operator" && h.GetProperty("actorName").GetString() == TestSecrets.OperatorName);
        Assert.True(problems.Count == 0, string.Join(" | ", problems));

        var phone = await fixture.NewPageAsync(phone: true);
        await phone.GotoAsync("/attention.html");
        await Expect(phone.Locator("#failed-summary")).Not.ToBeEmptyAsync(new() { Timeout = Deadline });
        await DashboardFixture.ScreenshotAsync(phone, "dashboard-attention-phone");
    }

    [Fact]
    public async Task JobsPage_NewCheckout_AppearsWithoutReloadOverTheLiveStream()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("#live-state")).ToHaveAttributeAsync("data-mode", "live", new() { Timeout = Deadline });
        await page.EvaluateAsync("() => { window.sameDocument = true; }");
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-live");

        Assert.Equal(HttpStatusCode.OK, (await fixture.System.Http.DeliverAsync(checkout)).Status);

        await Expect(page.Locator($"tr[data-job-id='{checkout.Id}']")).ToBeVisibleAsync(new() { Timeout = Deadline });
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded");
        await Expect(page.Locator("#live-state")).ToHaveAttributeAsync("data-mode", "live");
    }

    [Fact]
    public async Task JobsPage_LiveStreamRefused_FallsBackToPolling()
    {
        var page = await fixture.NewPageAsync();
        await page.RouteAsync("**/api/live", route => route.AbortAsync());
        await page.GotoAsync("/");
        await Expect(page.Locator("#live-state")).ToHaveAttributeAsync("data-mode", "polling", new() { Timeout = Deadline });
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-polling");

        Assert.Equal(HttpStatusCode.OK, (await fixture.System.Http.DeliverAsync(checkout)).Status);

        await Expect(page.Locator($"tr[data-job-id='{checkout.Id}']")).ToBeVisibleAsync(new() { Timeout = Deadline });
        await page.UnrouteAsync("**/api/live");
        await Expect(page.Locator("#live-state")).ToHaveAttributeAsync("data-mode", "live", new() { Timeout = Deadline });
    }

    /// <summary>Two paid checkouts through the simulator; the second one's run fails once with <paramref name="error"/>. Answers both job ids once ended.</summary>
    private async Task<(string Succeeded, string Failed)> RunTwoCheckoutsAsync(string error)
    {
        var ok = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-charts");
        var bad = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-charts-fail");
        await fixture.System.Simulator.AddBehaviourAsync(new SimulatorBehaviour("fail", JobId: bad.Id, Times: 1, Retryable: false, Message: error));
        Assert.Equal(HttpStatusCode.OK, (await fixture.System.Http.DeliverAsync(ok)).Status);
        Assert.Equal(HttpStatusCode.OK, (await fixture.System.Http.DeliverAsync(bad)).Status);
        foreach (var (id, status) in new[] { (ok.Id, "succeeded"), (bad.Id, "failed") })
        {
            await Eventually.UntilAsync(
                async () => (await ApiJson.GetAsync(fixture.System.Http, $"/api/jobs/{id}")).Body.GetProperty("status").GetString(),
                s => s == status, TimeSpan.FromSeconds(60), $"job {id} to be {status}");
        }

        return (ok.Id, bad.Id);
    }

    /// <summary>Errors the page logs (a script error, a blocked resource, a Content-Security-Policy violation).</summary>
    private static List<string> WatchConsole(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        return problems;
    }

    [GeneratedRegex(@"^Last hour: [1-9][0-9]* checkouts received, [1-9][0-9]* succeeded, [1-9][0-9]* failed, .*payment to succeeded p50 [0-9.]+ s, p95 [0-9.]+ s")]
    private static partial Regex Figures();
}
