using Microsoft.Playwright;
using Provisioning.Tests.Dashboard;
using static Microsoft.Playwright.Assertions;

namespace Provisioning.Tests.Reconciliation;

/// <summary>The jobs dashboard in Chromium: the last reconciliation pass, and a banner while the webhook endpoint is disabled.</summary>
public sealed class ReconciliationDashboardTests(ReconciliationSystem fixture) : IClassFixture<ReconciliationSystem>, IAsyncLifetime
{
    private const float Deadline = 30_000;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = DashboardFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    [Fact]
    public async Task JobsPage_EndpointDisabledAndCheckoutsRecovered_BannerAndLastPassShown()
    {
        var page = await (await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.System.GatewayUrl.ToString() })).NewPageAsync();
        await page.GotoAsync("/");
        var banner = page.Locator("#endpoint-banner");
        await Expect(page.Locator("#reconciliation")).ToContainTextAsync("Stripe reconciliation: every 60 min", new() { Timeout = Deadline });
        await Expect(banner).ToBeHiddenAsync();

        await fixture.Stripe.SetEndpointAsync(status: "disabled");
        await fixture.Stripe.CheckoutAsync("user_banner", "agent_banner");
        await fixture.Stripe.CheckoutAsync("user_banner", "agent_banner_2");
        await fixture.ReconcileAsync();

        await Expect(banner).ToBeVisibleAsync(new() { Timeout = Deadline });
        await Expect(banner).ToContainTextAsync("Stripe webhook endpoint we_test_simulator is disabled");
        await Expect(page.Locator("#reconciliation")).ToContainTextAsync("2 listed, 0 already in the inbox, 2 recovered.", new() { Timeout = Deadline });
        await DashboardFixture.ScreenshotAsync(page, "jobs-page-endpoint-disabled");

        await fixture.Stripe.SetEndpointAsync(status: "enabled");
        await fixture.ReconcileAsync();
        await Expect(banner).ToBeHiddenAsync(new() { Timeout = Deadline });
    }
}
