using MedSeg.Core.Reports;
using MedSeg.Tests.Core.IO;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace MedSeg.Tests.Browser;

/// <summary>The report of <c>medseg compare</c> opened in headless Chromium: every plot renders with a size, bars and lines are all drawn.</summary>
public sealed class StudyReportBrowserTests(ITestOutputHelper output)
{
    private static readonly string[] Modes = ["2d", "2.5d", "3d"];
    private static readonly string[] Architectures = ["unet", "capsnet"];
    private static readonly int[] Sizes = [8, 4, 2];

    /// <summary>A 3 × 2 × 3 grid whose Dice grows with the mode and the training set; one undefined figure.</summary>
    private static StudyReport Grid()
    {
        StudyColumn[] columns =
        [
            new(StudyReport.DiceKey, "validation Dice", "", 4),
            new("hd95_mm", "HD95", "mm", 1),
            new("train_peak_mb", "training peak memory", "MB", 0),
            new("train_peak_gpu_mb", "training peak GPU memory", "MB", 0, Plot: false),
        ];
        var rows = (from cases in Sizes
                    from arch in Architectures.Select((a, i) => (a, i))
                    from mode in Modes.Select((m, i) => (m, i))
                    select new StudyRow(mode.m, arch.a, cases,
                        [0.5 + 0.1 * mode.i + 0.02 * cases - 0.01 * arch.i, 30 - 5 * mode.i, 200 * (1 + mode.i * mode.i) + 50 * arch.i, double.NaN])).ToArray();
        return new StudyReport("2D vs 2.5D vs 3D study", ["Data synthetic; classes stomach."], columns, rows, ["notes <b>escaped</b>"]);
    }

    [BrowserFact]
    public async Task The_study_report_draws_grouped_bars_and_dice_against_training_size()
    {
        using var folder = new TempFolder();
        var html = folder.Combine("report.html");
        File.WriteAllText(html, StudyReportHtml.Render(Grid()));

        await using ServedPage served = await ServedPage.OpenAsync(html, 1300, 900);
        IPage page = served.Page;

        // Three plotted figures as bars, one Dice-against-size chart per architecture.
        double[][] sizes = await page.EvaluateExpressionAsync<double[][]>(
            "Array.from(document.querySelectorAll('svg.chart')).map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })");
        Assert.Equal(3 + Architectures.Length, sizes.Length);
        Assert.All(sizes, s => Assert.True(s[0] > 100 && s[1] > 100, $"a chart rendered {s[0]}×{s[1]}"));
        int[] bars = await page.EvaluateExpressionAsync<int[]>(
            "Array.from(document.querySelectorAll('#bars svg.chart')).map(s => Array.from(s.querySelectorAll('rect.bar')).filter(r => r.getBBox().height > 0).length)");
        Assert.Equal([6, 6, 6], bars);
        int[] points = await page.EvaluateExpressionAsync<int[]>(
            "Array.from(document.querySelectorAll('#sizes polyline.line')).map(l => l.points.numberOfItems)");
        Assert.Equal(Enumerable.Repeat(Sizes.Length, Modes.Length * Architectures.Length), points);
        // Higher Dice is drawn higher: the 3d line ends above the 2d one at the largest training set.
        double[] lastY = await page.EvaluateExpressionAsync<double[]>(
            "Array.from(document.querySelectorAll('#sizes svg.chart')[0].querySelectorAll('polyline.line')).map(l => l.points.getItem(l.points.numberOfItems - 1).y)");
        Assert.True(lastY[2] < lastY[0], $"3d at y {lastY[2]}, 2d at y {lastY[0]}");
        Assert.Equal(Modes.Length * Architectures.Length * Sizes.Length, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#table tbody tr').length"));
        Assert.Equal("n/a", await page.EvaluateExpressionAsync<string>("document.querySelector('#table tbody tr td.na').textContent"));

        output.WriteLine($"screenshot: {await HeadlessChromium.ScreenshotAsync(page, "compare-report")}");
        Assert.Empty(served.Errors);
    }
}
