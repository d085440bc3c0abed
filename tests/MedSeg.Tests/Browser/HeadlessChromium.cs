using PuppeteerSharp;

namespace MedSeg.Tests.Browser;

/// <summary>
/// The system's Chromium (Debian's <c>chromium</c> package, which <c>scripts/setup.sh</c> installs), driven headless
/// through PuppeteerSharp. The browser is never downloaded: PuppeteerSharp only launches the executable found here.
/// </summary>
public static class HeadlessChromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>The browser executable (<c>MEDSEG_CHROMIUM</c>, else the first of the usual paths that exists), or null.</summary>
    public static string? Executable { get; } =
        new[] { Environment.GetEnvironmentVariable("MEDSEG_CHROMIUM") }.Concat(Candidates).FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    /// <summary>Where the tests save their screenshots: <c>browser-screenshots/</c> beside the test assembly.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "browser-screenshots");

    /// <summary>Launches the browser headless (no sandbox, as tests may run as root in a container).</summary>
    public static Task<IBrowser> LaunchAsync() => Puppeteer.LaunchAsync(new LaunchOptions
    {
        Headless = true,
        ExecutablePath = Executable ?? throw new InvalidOperationException("No Chromium executable; the test should have been skipped."),
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        Timeout = 120_000,
    });

    /// <summary>A page of <paramref name="browser"/> whose script errors and console errors are collected into <paramref name="errors"/>.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, List<string> errors, int width = 1400, int height = 900)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(errors);
        IPage page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        page.DefaultTimeout = 60_000;
        page.PageError += (_, e) => errors.Add(e.Message);
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                errors.Add(e.Message.Text);
            }
        };
        return page;
    }

    /// <summary>Saves a full-page screenshot as <c>NAME.png</c> under <see cref="ScreenshotFolder"/> and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        Directory.CreateDirectory(ScreenshotFolder);
        string path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true });
        return path;
    }
}
