using MedSeg.Core.Viewer;
using PuppeteerSharp;

namespace MedSeg.Tests.Browser;

/// <summary>
/// An HTML file served by <see cref="ViewerServer"/> and open in headless Chromium, with the page's script and console
/// errors collected; disposing closes the browser and stops the server.
/// </summary>
internal sealed class ServedPage : IAsyncDisposable
{
    private readonly ViewerServer server;
    private readonly IBrowser browser;

    private ServedPage(ViewerServer server, IBrowser browser, IPage page, List<string> errors)
    {
        this.server = server;
        this.browser = browser;
        Page = page;
        Errors = errors;
    }

    public IPage Page { get; }

    /// <summary>Script errors and console errors the page reported.</summary>
    public List<string> Errors { get; }

    /// <summary>Serves <paramref name="htmlPath"/> and opens it in a viewport of <paramref name="width"/>×<paramref name="height"/>, waiting for the load event.</summary>
    public static Task<ServedPage> OpenAsync(string htmlPath, int width = 1400, int height = 900) =>
        OpenAsync(ViewerServer.Start(htmlPath), width, height);

    /// <summary>Serves <paramref name="page"/> with its slices fetched per case and opens it.</summary>
    public static Task<ServedPage> OpenAsync(ViewerPage page) => OpenAsync(ViewerServer.Start(page), 1400, 900);

    private static async Task<ServedPage> OpenAsync(ViewerServer server, int width, int height)
    {
        IBrowser browser = await HeadlessChromium.LaunchAsync();
        var errors = new List<string>();
        IPage page = await HeadlessChromium.NewPageAsync(browser, errors, width, height);
        await page.GoToAsync(server.Url, WaitUntilNavigation.Load);
        return new ServedPage(server, browser, page, errors);
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        server.Dispose();
    }
}
