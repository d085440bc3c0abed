using System.Globalization;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Core.Viewer;
using MedSeg.Tests.Core.IO;
using MedSeg.Tests.Core.Viewer;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace MedSeg.Tests.Browser;

/// <summary>
/// The slice viewer opened in headless Chromium from <see cref="ViewerServer"/>: scrolled with the mouse wheel,
/// overlays toggled and blended through its controls, then what it shows is read back (canvas pixels at positions
/// found in the masks themselves, the slice number, the metrics text).
/// </summary>
public sealed class ViewerBrowserTests(ITestOutputHelper output)
{
    private static readonly (int R, int G, int B) Stomach = OverlayImage.ClassColour(0);
    private static readonly (int R, int G, int B) LargeBowel = OverlayImage.ClassColour(2);

    [BrowserFact]
    public async Task A_uw_madison_page_scrolls_toggles_and_shows_the_metrics_of_its_slices()
    {
        using var folder = new TempFolder();
        string data = folder.Combine("uw");
        UwMadisonSynth.Write(data, new UwMadisonSynthOptions(Cases: 2, MaxDays: 1, Slices: 12, Height: 96, Width: 80, Seed: 1));
        // The prediction: the truth of stomach and small bowel, nothing of the large bowel.
        string pred = folder.Combine("pred.csv");
        File.WriteAllLines(pred, File.ReadLines(Path.Combine(data, "train.csv")).Select((line, i) =>
            i == 0 ? "id,class,predicted" : line.Contains(",large_bowel,", StringComparison.Ordinal) ? line[..(line.LastIndexOf(',') + 1)] : line));
        ViewerPage built = SliceViewer.Build(ViewerSources.Open(data, pred), new ViewerOptions(), data, pred);
        string html = folder.Combine("view.html");
        SliceViewer.Write(html, built);

        // The independent answers: the evaluator's scores, and a slice with stomach and large bowel inside their masks.
        EvaluationReport report = Evaluator.Load(pred, data).Evaluate(new EvaluationOptions("uwmgi"));
        string[] worstFirst = report.LowestScoringCases(report.PerCase.Count).ToArray();
        UwCaseDay caseDay = UwMadisonDataset.Load(data).CaseDays.Single(cd => cd.Id == worstFirst[0]);
        (int z, (int Y, int X) stomach, (int Y, int X) largeBowel) = FindSlice(caseDay);

        using var server = ViewerServer.Start(html);
        await using IBrowser browser = await HeadlessChromium.LaunchAsync();
        var errors = new List<string>();
        var viewer = new ViewerPageDriver(await HeadlessChromium.NewPageAsync(browser, errors));
        await viewer.Page.GoToAsync(server.Url);
        await viewer.ReadyAsync();

        string[] listed = await viewer.Page.EvaluateExpressionAsync<string[]>("Array.from(document.querySelectorAll('#case-list button')).map(b => b.dataset.case)");
        Assert.Equal(worstFirst, listed);
        Assert.Contains(Score(report.PerCase[worstFirst[0]].Overall.Score), await viewer.TextAsync("#case-metrics"));

        await viewer.ScrollToSliceAsync(z);
        Assert.Equal($"slice {z + 1} / 12", await viewer.TextAsync("#slice-label"));
        string sliceText = await viewer.TextAsync("#slice-metrics");
        Assert.Contains(caseDay.Slices[z].Id.ToString(), sliceText);
        Assert.Contains("stomach", sliceText);
        Assert.Matches(@"large_bowel\d+0" + Regex("0.0000"), sliceText); // large bowel: truth pixels, 0 predicted, Dice 0
        Assert.Matches(@"stomach(?<n>\d+)\k<n>" + Regex("1.0000"), sliceText); // stomach: as many predicted as true, Dice 1

        await viewer.SetRangeAsync("blend", 100); // overlays fully opaque inside the masks
        Assert.Equal(Stomach, await viewer.PixelAsync("truth-view", stomach.X, stomach.Y));
        Assert.Equal(Stomach, await viewer.PixelAsync("pred-view", stomach.X, stomach.Y));
        Assert.Equal(LargeBowel, await viewer.PixelAsync("truth-view", largeBowel.X, largeBowel.Y));
        AssertGray(await viewer.PixelAsync("pred-view", largeBowel.X, largeBowel.Y)); // not predicted

        await viewer.ClickAsync("#show-truth");
        AssertGray(await viewer.PixelAsync("truth-view", stomach.X, stomach.Y));
        Assert.Equal(Stomach, await viewer.PixelAsync("pred-view", stomach.X, stomach.Y));
        await viewer.ClickAsync("#class-0"); // stomach off in every view
        AssertGray(await viewer.PixelAsync("pred-view", stomach.X, stomach.Y));

        output.WriteLine($"screenshot: {await HeadlessChromium.ScreenshotAsync(viewer.Page, "viewer-uwmgi")}");
        Assert.Empty(errors);
    }

    // A slice where both the stomach and the large bowel have a pixel deep inside their masks.
    private static (int Z, (int Y, int X) Stomach, (int Y, int X) LargeBowel) FindSlice(UwCaseDay caseDay)
    {
        for (int z = 0; z < caseDay.Slices.Count; z++)
        {
            UwSlice slice = caseDay.Slices[z];
            byte[][] masks = [slice.DecodeMask(0), slice.DecodeMask(1), slice.DecodeMask(2)];
            var stomach = KnownPixel.Inside(masks[0], [masks[1], masks[2]], slice.Height, slice.Width);
            var largeBowel = KnownPixel.Inside(masks[2], [masks[0], masks[1]], slice.Height, slice.Width);
            if (stomach is { } s && largeBowel is { } l)
            {
                return (z, s, l);
            }
        }
        throw new InvalidOperationException($"No slice of {caseDay.Id} shows both the stomach and the large bowel; change the synthetic seed.");
    }

    private static string Score(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private static void AssertGray((int R, int G, int B) pixel) => Assert.True(pixel.R == pixel.G && pixel.G == pixel.B, $"expected a gray pixel, got {pixel}");
}
