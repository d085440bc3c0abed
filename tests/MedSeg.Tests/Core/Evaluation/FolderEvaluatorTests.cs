using System.Text.Json;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Tests.Core.Data;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Evaluation;

public class FolderEvaluatorTests
{
    /// <summary>
    /// Two 2×3 images, classes background, road, car. Truth a = [0 1 1 / 0 2 2], pred a = [0 1 0 / 0 2 1];
    /// truth b = [0 0 0 / 1 1 1], pred b = [0 0 0 / 1 1 1]. Dataset-wide counts: background TP 5, FP 1, FN 0 → 5/6;
    /// road TP 4, FP 1, FN 1 → 4/6; car TP 1, FP 0, FN 1 → 1/2. mIoU = (5/6 + 4/6 + 1/2) / 3 = 2/3.
    /// </summary>
    [Fact]
    public void Mean_iou_is_the_mean_of_dataset_wide_class_ious_background_included()
    {
        using var folder = HandFolder();

        var report = Evaluator.Load(folder.Combine("pred"), folder.Combine("data")).Evaluate(EvaluationOptions.Parse("iou", null, null));

        Assert.Equal(2.0 / 3, report.Multiclass!.Mean, 12);
        Assert.Equal([5.0 / 6, 4.0 / 6, 0.5], report.Multiclass.PerClass, (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal(["road", "car"], report.PerClass.Keys);
        Assert.Equal(4.0 / 6, report.PerClass["road"].Iou, 12);
        Assert.Equal(0.5, report.PerClass["car"].Iou, 12);
        var json = JsonSerializer.Serialize(report.ToJson());
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(Math.Round(2.0 / 3, 6), parsed.RootElement.GetProperty("miou").GetDouble());
        Assert.Equal(Math.Round(5.0 / 6, 6), parsed.RootElement.GetProperty("miou_per_class").GetProperty("background").GetDouble());
        foreach (var key in new[] { "metric", "score", "dice", "iou", "precision", "recall", "hausdorff", "hd95", "per_class", "per_case" })
        {
            Assert.True(parsed.RootElement.TryGetProperty(key, out _), key);
        }
        Assert.Equal("px", parsed.RootElement.GetProperty("hausdorff_unit").GetString());
        Assert.Contains("mean IoU over 3 classes", report.ToTable());
    }

    [Fact]
    public void Prediction_of_another_size_or_without_truth_is_one_error_naming_the_file()
    {
        using var folder = HandFolder();
        FolderDatasetTests.WriteMask(folder.Combine("pred", "c.png"), 2, 3, [0, 0, 0, 0, 0, 0]);
        var missing = Assert.Throws<MedSegException>(() => Evaluator.Load(folder.Combine("pred"), folder.Combine("data")));
        Assert.Contains("c.png", missing.Message);

        File.Delete(folder.Combine("pred", "c.png"));
        FolderDatasetTests.WriteMask(folder.Combine("pred", "b.png"), 3, 2, [0, 0, 0, 0, 0, 0]);
        var evaluator = Evaluator.Load(folder.Combine("pred"), folder.Combine("data"));
        var size = Assert.Throws<MedSegException>(() => evaluator.Evaluate(EvaluationOptions.Parse("iou", null, null)));
        Assert.Contains("b.png", size.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Truth_mask_that_is_a_scan_is_one_error_naming_it(bool classesTxt)
    {
        using var folder = HandFolder();
        if (!classesTxt)
        {
            File.Delete(folder.Combine("data", "classes.txt"));
        }
        BadMasks.Write(folder.Combine("data", "masks", "b.png"), "scan", 2, 3);

        var error = Assert.Throws<MedSegException>(() =>
            Evaluator.Load(folder.Combine("pred"), folder.Combine("data")).Evaluate(EvaluationOptions.Parse("iou", null, null)));

        Assert.StartsWith($"Mask {folder.Combine("data", "masks", "b.png")} is a 16-bit image", error.Message);
    }

    private static TempFolder HandFolder()
    {
        var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("data"));
        File.WriteAllLines(folder.Combine("data", "classes.txt"), ["background", "road", "car"]);
        RgbPng.Write(folder.Combine("data", "images", "a.png"), new byte[18], 2, 3);
        RgbPng.Write(folder.Combine("data", "images", "b.png"), new byte[18], 2, 3);
        FolderDatasetTests.WriteMask(folder.Combine("data", "masks", "a.png"), 2, 3, [0, 1, 1, 0, 2, 2]);
        FolderDatasetTests.WriteMask(folder.Combine("data", "masks", "b.png"), 2, 3, [0, 0, 0, 1, 1, 1]);
        GrayPng.Write(folder.Combine("pred", "a.png"), [0, 1, 0, 0, 2, 1], 2, 3);
        GrayPng.Write(folder.Combine("pred", "b.png"), [0, 0, 0, 1, 1, 1], 2, 3);
        return folder;
    }
}
