using MedSeg.Core;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;
using MedSeg.Core.Volumes;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Evaluation;

public class LabelMapEvaluatorTests
{
    private static readonly double Diagonal = 6 * Math.Sqrt(3); // (4·1.5 mm, 4·1.5 mm, 2·3 mm)

    [Fact]
    public void Dice_per_case_with_distances_in_mm_from_the_files()
    {
        using var folder = new TempFolder();
        var (dataset, predictions) = HandLabelMaps.Write(folder.Path);
        IEvaluator evaluator = Evaluator.Load(predictions, dataset);

        EvaluationReport report = evaluator.Evaluate(EvaluationOptions.Parse(evaluator.DefaultMetric, null, null));

        // As SubmissionEvaluatorTests.Dice_per_volume_with_distances_in_mm: label maps aggregate per case by default.
        Assert.Equal("dice", report.Metric);
        Assert.Equal(OverlapAggregation.Volume, report.Aggregation);
        Assert.Equal(["a", "b", "c"], report.PerClass.Keys);
        Assert.Equal((2.0 / 3 + 0 + 0) / 3, report.Score, 12);
        Assert.Equal((1.5 + Diagonal) / 2, report.PerClass["a"].Hausdorff, 12);
        Assert.Equal((1.35 + Diagonal) / 2, report.PerClass["a"].Hd95, 12);
        Assert.Equal(Diagonal, report.PerClass["b"].Hausdorff, 12);
        Assert.True(double.IsNaN(report.PerClass["c"].Dice));
        Assert.Equal(["case1", "case2"], report.PerCase.Keys);
        Assert.Equal(0.5, report.PerCase["case1"].PerClass["a"].Iou, 12); // TP 2, FP 1, FN 1
        Assert.Equal(4, report.Slices);
        Assert.Equal(EvaluationReport.MillimetreUnit, report.DistanceUnit);
    }

    [Fact]
    public void A_plain_folder_of_label_maps_names_classes_by_label()
    {
        using var folder = new TempFolder();
        var (dataset, predictions) = HandLabelMaps.Write(folder.Path);
        string plain = folder.Combine("truth");
        Directory.CreateDirectory(plain);
        foreach (string file in Directory.GetFiles(Path.Combine(dataset, "labelsTr")))
        {
            File.Copy(file, Path.Combine(plain, Path.GetFileName(file)));
        }

        IEvaluator evaluator = Evaluator.Load(predictions, plain);
        EvaluationReport report = evaluator.Evaluate(EvaluationOptions.Parse("dice", "global", null));

        // Labels 1 and 2 occur; a: TP 2, FP 1, FN 2 → 4/7; b: FP 1 → 0.
        Assert.Equal(["1", "2"], evaluator.Classes);
        Assert.Equal((4.0 / 7 + 0) / 2, report.Score, 12);
        Assert.Empty(evaluator.FindWorstSlices(report)); // no images outside an nnU-Net dataset
    }

    [Fact]
    public void Worst_slices_are_drawn_from_the_dataset_images()
    {
        using var folder = new TempFolder();
        var (dataset, predictions) = HandLabelMaps.Write(folder.Path);
        IEvaluator evaluator = Evaluator.Load(predictions, Path.Combine(dataset, "labelsTr"));
        EvaluationReport report = evaluator.Evaluate(EvaluationOptions.Parse("dice", null, null));

        WorstSlice worst = Assert.Single(evaluator.FindWorstSlices(report, cases: 1));

        Assert.Equal(("case2", "case2 z 0", "a", 0.0, 1L, 0L),
            (worst.CaseId, worst.SliceId, worst.ClassName, worst.Dice, worst.TruePixels, worst.PredictedPixels));
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], worst.Png.Take(4));
    }

    [Fact]
    public void Mismatched_or_missing_files_are_one_sentence_naming_them()
    {
        using var folder = new TempFolder();
        var (dataset, predictions) = HandLabelMaps.Write(folder.Path);
        string extra = Path.Combine(predictions, "case9.nii.gz");
        Nifti.WriteLabels(extra, HandLabelMaps.Labels());

        Assert.Contains(extra, Assert.Throws<MedSegException>(() => Evaluator.Load(predictions, dataset)).Message);

        File.Delete(extra);
        string small = Path.Combine(predictions, "case1.nii.gz");
        var grid = new VolumeGeometry(new VolumeShape(4, 4, 1), Affine.Diagonal(1.5, 1.5, 3));
        Nifti.WriteLabels(small, new Volume<ushort>(grid));
        IEvaluator evaluator = Evaluator.Load(predictions, dataset);
        var error = Assert.Throws<MedSegException>(() => evaluator.Evaluate(new EvaluationOptions("dice")));
        Assert.Contains(small, error.Message);
        Assert.Contains("--metric", Assert.Throws<MedSegException>(() => evaluator.Evaluate(new EvaluationOptions("uwmgi"))).Message);
        Assert.Throws<MedSegException>(() => Evaluator.Load(folder.Combine("nothing.txt"), dataset));
    }
}
