using Microsoft.Playwright;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Dashboard;

/// <summary>
/// The whole system with the GitHub Actions simulator (runs play to <c>succeeded</c> by themselves) and Debian's Chromium
/// driven by Playwright; Playwright's own browser download is not used (scripts/install-test-tools.sh installs Chromium).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public TestSystem System { get; } = new() { WithSimulator = true };

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the pages' screenshots are kept as test artifacts.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(Repository.Root, ".local", "test-results", "screenshots");

    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/install-test-tools.sh (apt-get install chromium).");
        }

        await System.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A fresh browser tab (its own sessionStorage) on the gateway, at a desktop or a phone's size.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = System.GatewayUrl.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}.png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await System.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
