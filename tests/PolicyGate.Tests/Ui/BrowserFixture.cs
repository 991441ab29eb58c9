using Microsoft.Playwright;
using PolicyGate.Tests.Infrastructure;
using PolicyGate.Tests.Infrastructure.Processes;

namespace PolicyGate.Tests.Ui;

/// <summary>
/// One headless Debian chromium (installed by scripts/test.sh) driven by Playwright for the whole UI collection.
/// Playwright never downloads a browser here: the executable path is passed explicitly.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: TestResults/ui-screenshots under the repository (a CI artifact).</summary>
    public static string ScreenshotDir { get; } = RepoPaths.File(Path.Combine("TestResults", "ui-screenshots"));

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            // Tests run as root in CI, where chromium's sandbox cannot start; the pages are our own loopback UI.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
            Timeout = 60_000,
        });
        Directory.CreateDirectory(ScreenshotDir);
    }

    /// <summary>A fresh context (own session storage) with a laptop-sized viewport.</summary>
    public async Task<IPage> NewPageAsync()
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 800 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>Debian's chromium: /usr/bin/chromium is a shell wrapper around /usr/lib/chromium/chromium.</summary>
    private static string ChromiumPath()
    {
        const string binary = "/usr/lib/chromium/chromium";
        return File.Exists(binary) ? binary : ToolPath.Find("chromium");
    }
}
