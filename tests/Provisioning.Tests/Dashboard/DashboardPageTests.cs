using System.Net;
using System.Text.RegularExpressions;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;
using static Microsoft.Playwright.Assertions;

namespace Provisioning.Tests.Dashboard;

/// <summary>The jobs dashboard in a real browser (Chromium through Playwright) against the real gateway, silo and simulator.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardPageTests(DashboardFixture fixture)
{
    /// <summary>Long enough for a simulated run (claim, 2 s of provisioning, complete) and a few polls of the page.</summary>
    private const float Deadline = 60_000;

    [Fact]
    public async Task JobsPage_PaidCheckout_JobAppearsAndTurnsSucceeded()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("#counts button[data-status='succeeded']")).ToBeVisibleAsync();
        var user = StripeEventFactory.NewId("user");
        var checkout = StripeEventFactory.CheckoutCompleted(user, "agent-dashboard", "eu-west");

        Assert.Equal(HttpStatusCode.OK, (await fixture.System.Http.DeliverAsync(checkout)).Status);

        var row = page.Locator($"tr[data-job-id='{checkout.Id}']");
        await Expect(row).ToBeVisibleAsync(new() { Timeout = Deadline });
        await Expect(row.Locator("td[data-label='Status']")).ToHaveTextAsync("succeeded", new() { Timeout = Deadline });
        await Expect(row.Locator("td[data-label='User']")).ToHaveTextAsync(user);
        await DashboardFixture.ScreenshotAsync(page, "jobs-page");

        await page.Locator("#search").FillAsync(user);
        await Expect(page.Locator("#rows tr")).ToHaveCountAsync(1, new() { Timeout = Deadline });
        await Expect(page.Locator("#rows tr").First).ToHaveAttributeAsync("data-job-id", checkout.Id);

        var phone = await fixture.NewPageAsync(phone: true);
        await phone.GotoAsync("/");
        await Expect(phone.Locator($"tr[data-job-id='{checkout.Id}']")).ToBeVisibleAsync(new() { Timeout = Deadline });
        await DashboardFixture.ScreenshotAsync(phone, "jobs-page-phone");
    }

    [Fact]
    public async Task JobsPage_CheckoutWaitingInTheInbox_ShowsTheBacklogUntilItIsProcessed()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        var inbox = page.Locator("#inbox");
        await Expect(inbox).ToHaveTextAsync("Stripe inbox: 0 events waiting to be processed.", new() { Timeout = Deadline });

        var eventId = await Inbox.InboxRows.StoreUnprocessedCheckoutAsync(
            fixture.System.ConnectionString, StripeEventFactory.NewId("user"), heldFor: TimeSpan.FromHours(1));

        await Expect(inbox).ToContainTextAsync("Stripe inbox: 1 event waiting to be processed", new() { Timeout = Deadline });
        Assert.Equal(HttpStatusCode.OK, (await fixture.System.Http.GetAsync($"/api/jobs/{eventId}")).StatusCode);
        await Expect(inbox).ToHaveTextAsync("Stripe inbox: 0 events waiting to be processed.", new() { Timeout = Deadline });
    }

    [Fact]
    public async Task OrleansDashboard_SignInWithOperatorKey_DashboardLoadsItsData()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/dashboard/");
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/sign-in$"));
        await page.Locator("#key").FillAsync("op_not_a_key_of_anyone_here");
        await page.Locator("button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Alert)).ToContainTextAsync("not an operator key");

        await page.Locator("#key").FillAsync(TestSecrets.OperatorKey);
        var counters = page.WaitForResponseAsync(
            response => response.Url.Contains("/dashboard/DashboardCounters", StringComparison.Ordinal) && response.Status == 200,
            new() { Timeout = Deadline });
        await page.Locator("button[type=submit]").ClickAsync();

        await counters;
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard/$"));
        // The overview counts the running silo from the data the cookie let through.
        await Expect(page.GetByText("Active Silos").Locator("..")).ToContainTextAsync(new Regex("[1-9]"), new() { Timeout = Deadline });
        await DashboardFixture.ScreenshotAsync(page, "orleans-dashboard");
    }

    [Fact]
    public async Task JobPage_FailedJobRetriedWithOperatorKey_JobMovesPastFailed()
    {
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-retry");
        await fixture.System.Simulator.AddBehaviourAsync(
            new SimulatorBehaviour("fail", JobId: checkout.Id, Times: 1, Retryable: false, Message: "terraform apply failed"));
        Assert.Equal(HttpStatusCode.OK, (await fixture.System.Http.DeliverAsync(checkout)).Status);

        var list = await fixture.NewPageAsync();
        await list.GotoAsync("/");
        var row = list.Locator($"tr[data-job-id='{checkout.Id}']");
        await Expect(row.Locator("td[data-label='Status']")).ToHaveTextAsync("failed", new() { Timeout = Deadline });
        await Expect(row).ToHaveClassAsync(AttentionClass());
        await row.Locator("a").ClickAsync();

        var page = list;
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape($"/job.html?id={checkout.Id}")));
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("failed", new() { Timeout = Deadline });
        await Expect(page.Locator("#last-error")).ToContainTextAsync("terraform apply failed");
        await Expect(page.Locator("#history li")).Not.ToHaveCountAsync(0);
        await DashboardFixture.ScreenshotAsync(page, "job-page-failed");

        var confirmations = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            confirmations.Add(dialog.Message);
            await dialog.AcceptAsync();
        };
        await page.Locator("#retry").ClickAsync();
        await Expect(page.Locator("#key-dialog")).ToBeVisibleAsync();
        await page.Locator("#key-input").FillAsync(TestSecrets.OperatorKey);
        await page.Locator("#key-save").ClickAsync();

        await Expect(page.Locator("#action-result")).ToContainTextAsync("Retried", new() { Timeout = Deadline });
        await Expect(page.Locator("#job-status")).ToHaveTextAsync(PastFailed(), new() { Timeout = Deadline });
        await Expect(page.Locator("#history")).ToContainTextAsync($"operator ({TestSecrets.OperatorName})");
        Assert.Equal([$"Retry job {checkout.Id}?"], confirmations);
        await DashboardFixture.ScreenshotAsync(page, "job-page-retried");
    }

    [Fact]
    public async Task JobPage_CancelWithWrongKey_Shows401AndForgetsTheKey()
    {
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-wrong-key");
        await fixture.System.Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", JobId: checkout.Id));
        Assert.Equal(HttpStatusCode.OK, (await fixture.System.Http.DeliverAsync(checkout)).Status);
        var page = await fixture.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GotoAsync($"/job.html?id={Uri.EscapeDataString(checkout.Id)}");
        await Expect(page.Locator("#cancel")).ToBeEnabledAsync(new() { Timeout = Deadline });

        await page.Locator("#cancel").ClickAsync();
        await page.Locator("#key-input").FillAsync("op_not_a_configured_key_123");
        await page.Locator("#key-save").ClickAsync();

        await Expect(page.Locator("#action-result")).ToContainTextAsync("401", new() { Timeout = Deadline });
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('provisioning.operatorKey')"));
        await Expect(page.Locator("#job-status")).Not.ToHaveTextAsync("cancelled");
    }

    [GeneratedRegex("attention")]
    private static partial Regex AttentionClass();

    [GeneratedRegex("^(queued|waiting|dispatched|provisioning|succeeded)$")]
    private static partial Regex PastFailed();
}
