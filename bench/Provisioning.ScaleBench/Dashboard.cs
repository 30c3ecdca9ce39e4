using System.Diagnostics;
using Microsoft.Playwright;

namespace Provisioning.ScaleBench;

/// <summary>
/// The jobs dashboard's first paint in headless Chromium: from navigation until the first page of jobs and the counts are
/// on screen, measured <c>--runs</c> times in fresh tabs; prints the median and the slowest in milliseconds.
/// </summary>
public static class Dashboard
{
    public static async Task<int> FirstPaintAsync(Arguments args)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = args.Get("chromium", "/usr/bin/chromium"),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
        });
        var times = new List<double>();
        for (var i = 0; i < args.Int("runs", 5) + 1; i++)
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = args.Get("gateway"),
                ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {args.Get("key")}" },
            });
            var page = await context.NewPageAsync();
            var watch = Stopwatch.StartNew();
            await page.GotoAsync("/");
            await page.WaitForSelectorAsync("#rows tr[data-job-id]", new() { Timeout = 30_000 });
            await page.WaitForSelectorAsync("#counts li", new() { Timeout = 30_000 });
            watch.Stop();
            if (i > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds); // the first run warms the browser and the gateway's files
            }
        }

        times.Sort();
        Console.WriteLine($"dashboard {times[times.Count / 2]:F0} {times[^1]:F0}");
        return 0;
    }
}
