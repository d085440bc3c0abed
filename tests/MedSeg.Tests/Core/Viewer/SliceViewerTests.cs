using System.Text;
using MedSeg.Core;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Core.Viewer;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Viewer;

/// <summary>The viewer page built from each layout: size cap, shrinking, figures, PNG encoding and errors (no browser).</summary>
public sealed class SliceViewerTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string UwData()
    {
        string data = folder.Combine("uw");
        UwMadisonSynth.Write(data, new UwMadisonSynthOptions(Cases: 2, MaxDays: 1, Slices: 8, Height: 96, Width: 80, Seed: 1));
        return data;
    }

    [Fact]
    public void A_page_over_its_cap_is_shrunk_by_a_whole_factor_until_it_fits()
    {
        string data = UwData();
        IViewerSource source = ViewerSources.Open(data, null);
        ViewerPage full = SliceViewer.Build(source, new ViewerOptions(), data);
        long fullBytes = Encoding.UTF8.GetByteCount(ViewerHtml.Render(full));
        Assert.Equal(1, full.Factor);

        long cap = fullBytes / 3;
        ViewerPage shrunk = SliceViewer.Build(source, new ViewerOptions(cap), data);
        long bytes = SliceViewer.Write(folder.Combine("small.html"), shrunk);

        Assert.True(shrunk.Factor >= 2, $"factor {shrunk.Factor}");
        Assert.True(bytes <= cap, $"{bytes} bytes over the cap of {cap}");
        Assert.Equal(bytes, new FileInfo(folder.Combine("small.html")).Length);
        ViewerCasePage first = shrunk.Cases[0];
        Assert.Equal((96 / shrunk.Factor, 80 / shrunk.Factor), (first.Planes.Height, first.Planes.Width));
        double[] fullSpacing = full.Cases[0].Spacing;
        Assert.Equal(fullSpacing[0], first.Spacing[0]);
        Assert.Equal(fullSpacing[1] * 96 / first.Planes.Height, first.Spacing[1], 9); // a shown pixel covers `factor` rows
        Assert.Equal(fullSpacing[2] * 80 / first.Planes.Width, first.Spacing[2], 9);
        Assert.Contains($"shrunk {shrunk.Factor}×", shrunk.Lines[1]);
        // Per-slice figures stay at full resolution.
        Assert.Equal(full.Cases[0].Slices.TruePixels, first.Slices.TruePixels);
        var error = Assert.Throws<MedSegException>(() => SliceViewer.Build(source, new ViewerOptions(20_000), data));
        Assert.Contains("--max-mb", error.Message);
    }

    [Fact]
    public void Planes_hold_exact_16_bit_values_as_red_and_green_and_average_blocks_when_shrunk()
    {
        ushort[] pixels = [0, 1000, 65535, 3, 7, 9, 11, 13];
        ushort[] truth = [0, 0, 0, 0, 0, 5, 0, 0];
        var c = new ViewerCase("c", 1, 2, 4, 1, pixels, 0, 1, [1, 1, 1], ["c"], truth, new ushort[8]);

        ViewerPlanes full = ViewerPlanes.Encode(c, 1);
        ViewerPlanes half = ViewerPlanes.Encode(c, 2);

        Assert.Equal(pixels, Decode(full.Images[0], 2, 4));
        Assert.Equal(truth, Decode(full.Truth![0]!, 2, 4));
        Assert.Null(full.Pred![0]); // an empty mask slice is left out
        // 2×2 blocks: (0 + 1000 + 7 + 9) / 4 and (65535 + 3 + 11 + 13) / 4, rounded; a mask block takes its centre pixel.
        Assert.Equal([254, 16391], Decode(half.Images[0], 1, 2));
        Assert.Equal([5, 0], Decode(half.Truth![0]!, 1, 2));
    }

    [Fact]
    public void A_folder_dataset_with_predictions_lists_images_worst_first_with_per_image_figures()
    {
        string data = folder.Combine("folder");
        FolderSynth.Write(data, new FolderSynthOptions(Images: 3, Height: 32, Width: 48, Classes: 3));
        string pred = folder.Combine("pred");
        Directory.CreateDirectory(pred);
        string[] masks = Directory.GetFiles(Path.Combine(data, "masks")).Order(StringComparer.Ordinal).ToArray();
        foreach (string mask in masks)
        {
            File.Copy(mask, Path.Combine(pred, Path.GetFileName(mask)));
        }
        // The first image's prediction is all background: it must come first.
        GrayPng.Write(Path.Combine(pred, Path.GetFileName(masks[0])), new ushort[32 * 48], 32, 48);

        ViewerPage page = SliceViewer.Build(ViewerSources.Open(data, pred), new ViewerOptions(), data, pred);

        Assert.Equal(ViewerMasks.Labels, page.Masks);
        Assert.Equal(["class_1", "class_2"], page.Classes);
        Assert.Equal(Path.GetFileNameWithoutExtension(masks[0]), page.Cases[0].Id);
        Assert.Equal(0, page.Cases[0].Score);
        Assert.All(page.Cases.Skip(1), c => Assert.Equal(1, c.Score));
        Assert.All(page.Cases, c => Assert.Equal((1, 3), (c.Depth, c.Channels)));
        ViewerCasePage perfect = page.Cases[1];
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(perfect.Slices.TruePixels[k][0], perfect.Slices.PredictedPixels[k][0]);
            Assert.Equal(perfect.Slices.TruePixels[k][0] > 0 ? 1.0 : null, perfect.Slices.Dice[k][0]);
        }
        string html = ViewerHtml.Render(page);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public void Unknown_cases_and_predictions_of_other_data_are_errors_naming_them()
    {
        string data = UwData();
        var unknown = Assert.Throws<MedSegException>(() =>
            SliceViewer.Build(ViewerSources.Open(data, null), new ViewerOptions(Cases: ["case99_day1"]), data));
        Assert.Contains("--cases names case99_day1", unknown.Message);

        string pred = folder.Combine("pred.csv");
        File.WriteAllText(pred, "id,class,predicted\ncase99_day1_slice_0001,stomach,\n");
        var foreign = Assert.Throws<MedSegException>(() => ViewerSources.Open(data, pred));
        Assert.Contains("case99_day1_slice_0001", foreign.Message);
        var missing = Assert.Throws<MedSegException>(() => ViewerSources.Open(data, folder.Combine("nothing.csv")));
        Assert.Contains("--pred", missing.Message);
    }

    [Fact]
    public void Test_data_without_train_csv_takes_its_classes_from_the_submission_and_shows_the_prediction_alone()
    {
        string data = UwData();
        string test = folder.Combine("test-data");
        Directory.CreateDirectory(test);
        Directory.Move(Path.Combine(data, "train"), Path.Combine(test, "test"));
        string pred = folder.Combine("pred.csv");
        File.WriteAllLines(pred, File.ReadLines(Path.Combine(data, "train.csv")).Select((line, i) => i == 0 ? "id,class,predicted" : line));

        ViewerPage page = SliceViewer.Build(ViewerSources.Open(test, pred), new ViewerOptions(), test, pred);

        Assert.Equal(["stomach", "small_bowel", "large_bowel"], page.Classes);
        Assert.False(page.HasTruth);
        Assert.True(page.HasPredictions);
        Assert.Null(page.Metric);
        Assert.All(page.Cases, c => Assert.Null(c.Planes.Truth));
        Assert.Contains(page.Cases, c => c.Planes.Pred!.Any(p => p is not null));
        var folderPred = Assert.Throws<MedSegException>(() => ViewerSources.Open(test, folder.Path));
        Assert.Contains("submission .csv", folderPred.Message);
    }

    private ushort[] Decode(string base64, int height, int width)
    {
        string path = folder.Combine(Guid.NewGuid().ToString("N") + ".png");
        File.WriteAllBytes(path, Convert.FromBase64String(base64));
        byte[] rgb = RgbPng.Read(path, out int h, out int w);
        Assert.Equal((height, width), (h, w));
        return Enumerable.Range(0, h * w).Select(i => (ushort)(rgb[3 * i] * 256 + rgb[3 * i + 1])).ToArray();
    }
}
