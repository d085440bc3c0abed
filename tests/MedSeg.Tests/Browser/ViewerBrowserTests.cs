using System.Globalization;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Core.Viewer;
using MedSeg.Tests.Core.IO;
using MedSeg.Tests.Core.Viewer;
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

        await using ServedPage served = await ServedPage.OpenAsync(html);
        var viewer = new ViewerPageDriver(served.Page);
        await viewer.ReadyAsync();

        string[] listed = await viewer.Page.EvaluateExpressionAsync<string[]>("Array.from(document.querySelectorAll('#case-list button')).map(b => b.dataset.case)");
        Assert.Equal(worstFirst, listed);
        Assert.Contains(Score(report.PerCase[worstFirst[0]].Overall.Score), await viewer.TextAsync("#case-metrics"));

        double[] rect = await viewer.Page.EvaluateExpressionAsync<double[]>(
            "(r => [r.width, r.height])(document.getElementById('pred-view').getBoundingClientRect())");
        Assert.Equal(96.0 / 80, rect[1] / rect[0], 2); // square pixels stay square, however narrow the column
        await viewer.Page.Keyboard.PressAsync("End");
        Assert.Equal("slice 12 / 12", await viewer.TextAsync("#slice-label"));
        await viewer.Page.Keyboard.PressAsync("ArrowUp");
        Assert.Equal("slice 11 / 12", await viewer.TextAsync("#slice-label"));
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

        await viewer.SetRangeAsync("blend", 0); // inside the masks only the image; the outline stays
        AssertGray(await viewer.PixelAsync("truth-view", stomach.X, stomach.Y));
        await viewer.SetRangeAsync("blend", 100);
        await viewer.Page.Keyboard.PressAsync("t"); // truth off
        AssertGray(await viewer.PixelAsync("truth-view", stomach.X, stomach.Y));
        Assert.Equal(Stomach, await viewer.PixelAsync("pred-view", stomach.X, stomach.Y));
        await viewer.ClickAsync("#class-0"); // stomach off in every view
        AssertGray(await viewer.PixelAsync("pred-view", stomach.X, stomach.Y));

        await viewer.ClickAsync($"#case-list button[data-case='{worstFirst[1]}']"); // the list jumps to a case
        await viewer.ReadyAsync();
        Assert.Equal(worstFirst[1], await viewer.TextAsync("#case-title"));
        Assert.Contains(Score(report.PerCase[worstFirst[1]].Overall.Score), await viewer.TextAsync("#case-metrics"));
        await viewer.ClickAsync("#show-truth");
        await viewer.ClickAsync("#class-0");

        output.WriteLine($"screenshot: {await HeadlessChromium.ScreenshotAsync(viewer.Page, "viewer-uwmgi")}");
        Assert.Empty(served.Errors);
    }

    [BrowserFact]
    public async Task A_served_page_fetches_each_cases_slices_when_the_case_is_opened()
    {
        using var folder = new TempFolder();
        string data = folder.Combine("uw");
        UwMadisonSynth.Write(data, new UwMadisonSynthOptions(Cases: 2, MaxDays: 1, Slices: 6, Height: 64, Width: 64, Seed: 3));
        ViewerPage built = SliceViewer.Build(ViewerSources.Open(data, null), new ViewerOptions(), data);
        UwCaseDay caseDay = UwMadisonDataset.Load(data).CaseDays.Single(cd => cd.Id == built.Cases[1].Id);

        await using ServedPage served = await ServedPage.OpenAsync(built);
        var viewer = new ViewerPageDriver(served.Page);
        await viewer.ReadyAsync();
        Assert.DoesNotContain("\"images\":[\"", await viewer.Page.EvaluateExpressionAsync<string>("document.getElementById('viewer-data').textContent"));

        await viewer.ClickAsync($"#case-list button[data-case='{caseDay.Id}']");
        await viewer.ReadyAsync();
        (int z, (int Y, int X) stomach, _) = FindSlice(caseDay);
        await viewer.ScrollToSliceAsync(z);
        await viewer.SetRangeAsync("blend", 100);
        Assert.Equal(Stomach, await viewer.PixelAsync("truth-view", stomach.X, stomach.Y));
        Assert.Empty(served.Errors);
    }

    [BrowserFact]
    public async Task An_nnunet_volume_shows_its_coronal_plane_at_the_spacing_with_window_and_level()
    {
        using var folder = new TempFolder();
        NnUnetSynth.Write(folder.Path, new UwMadisonSynthOptions(Cases: 1, MaxDays: 1, Slices: 10, Height: 48, Width: 40, Seed: 2));
        string data = folder.Combine(NnUnetSynth.DatasetFolderName(NnUnetSynth.DefaultDatasetId));
        string html = folder.Combine("view.html");
        SliceViewer.Write(html, SliceViewer.Build(ViewerSources.Open(data, null), new ViewerOptions(), data));
        NnUnetCase nnCase = NnUnetDataset.Load(data).TrainingCases[0];
        (int y, int z, int x) = FindCoronalPixel(nnCase.ReadLabels(), label: 1);

        await using ServedPage served = await ServedPage.OpenAsync(html);
        var viewer = new ViewerPageDriver(served.Page);
        await viewer.ReadyAsync();
        Assert.DoesNotContain("#pred-view", await viewer.Page.GetContentAsync()); // no predictions: one view

        await viewer.SelectAsync("plane", "coronal");
        var shape = nnCase.ReadLabels().Shape;
        Assert.Equal([shape.X, shape.Z], await viewer.CanvasSizeAsync("truth-view")); // columns × slices
        Assert.Equal($"slice {shape.Y / 2 + 1} / {shape.Y}", await viewer.TextAsync("#slice-label"));
        double[] css = await viewer.Page.EvaluateExpressionAsync<double[]>(
            "(r => [r.width, r.height])(document.getElementById('truth-view').getBoundingClientRect())");
        var spacing = nnCase.ReadImage().Spacing;
        Assert.Equal(shape.Z * spacing.Z / (shape.X * spacing.X), css[1] / css[0], 2); // drawn at the voxel spacing, as laid out
        await viewer.ScrollToSliceAsync(y);
        Assert.Equal($"slice {y + 1} / {shape.Y}", await viewer.TextAsync("#slice-label"));

        await viewer.SetRangeAsync("blend", 100);
        Assert.Equal(Stomach, await viewer.PixelAsync("truth-view", x, z));
        await viewer.ClickAsync("#show-truth");
        double[] window = await viewer.Page.EvaluateExpressionAsync<double[]>(
            "['window-level'].map(id => document.getElementById(id)).flatMap(e => [Number(e.min), Number(e.max)])");
        await viewer.SetRangeAsync("window-width", 1e-3);
        await viewer.SetRangeAsync("window-level", window[1]); // level at the largest value: everything else black
        Assert.Equal((0, 0, 0), await viewer.PixelAsync("truth-view", x, z));
        await viewer.SetRangeAsync("window-level", window[0]); // level at the smallest value: the organ white
        Assert.Equal((255, 255, 255), await viewer.PixelAsync("truth-view", x, z));
        await viewer.ClickAsync("#window-auto");
        await viewer.ClickAsync("#show-truth");

        output.WriteLine($"screenshot: {await HeadlessChromium.ScreenshotAsync(viewer.Page, "viewer-nnunet-coronal")}");
        Assert.Empty(served.Errors);
    }

    // A voxel (row y, slice z, column x) deep inside `label` in its coronal plane (the 3×3 block around it in z and x).
    private static (int Y, int Z, int X) FindCoronalPixel(MedSeg.Core.Volumes.Volume<ushort> labels, ushort label)
    {
        var shape = labels.Shape;
        for (int y = 0; y < shape.Y; y++)
        {
            var own = new byte[shape.Z * shape.X];
            var other = new byte[own.Length];
            for (int z = 0; z < shape.Z; z++)
            {
                for (int x = 0; x < shape.X; x++)
                {
                    ushort value = labels[x, y, z];
                    (own[z * shape.X + x], other[z * shape.X + x]) = (value == label ? (byte)1 : (byte)0, value != label && value != 0 ? (byte)1 : (byte)0);
                }
            }
            if (KnownPixel.Inside(own, [other], shape.Z, shape.X) is { } found)
            {
                return (y, found.Y, found.X);
            }
        }
        throw new InvalidOperationException("No coronal plane holds a 3×3 block of the label; change the synthetic seed.");
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
