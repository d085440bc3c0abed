using MedSeg.Core.Reports;
using MedSeg.Tests.Core.IO;
using MedSeg.Tests.Torch.Reports;
using MedSeg.Torch.Reports;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace MedSeg.Tests.Browser;

/// <summary>The training-run report opened in headless Chromium: every chart and slice decodes, the cards and tables read right.</summary>
public sealed class ReportBrowserTests(ITestOutputHelper output)
{
    [BrowserFact]
    public async Task A_run_report_shows_its_charts_cards_per_class_table_and_worst_slices()
    {
        using var folder = new TempFolder();
        (string run, string data, _) = HandRun.Write(folder.Path);
        RunReport report = RunReportBuilder.Build(run, data);
        string html = folder.Combine("report.html");
        RunReportHtml.Write(html, report);

        await using ServedPage served = await ServedPage.OpenAsync(html, 1300, 900);
        IPage page = served.Page;

        int[] widths = await page.EvaluateExpressionAsync<int[]>("Array.from(document.images).map(i => i.naturalWidth)");
        Assert.Equal(4 + report.WorstSlices.Count + report.WorstSlices.Count(w => w.Crop is not null), widths.Length);
        Assert.All(widths, w => Assert.True(w > 0, "an image did not decode"));
        Assert.Equal("0.5000", await page.EvaluateExpressionAsync<string>("document.getElementById('best-score').textContent"));
        Assert.Equal("2", await page.EvaluateExpressionAsync<string>("document.getElementById('epochs').textContent"));
        string[] classRows = await page.EvaluateExpressionAsync<string[]>(
            "Array.from(document.querySelectorAll('section')).find(s => s.querySelector('h2').textContent === 'Validation per class')" +
            ".querySelectorAll('tbody tr').values().map(r => r.cells[0].textContent + ' ' + r.cells[2].textContent).toArray()");
        Assert.Equal(["all classes 0.6667", "stomach 1.0000", "small_bowel 0.0000", "large_bowel 1.0000"], classRows);

        output.WriteLine($"screenshot: {await HeadlessChromium.ScreenshotAsync(page, "run-report")}");
        Assert.Empty(served.Errors);
    }
}
