using System.Text.Json;
using MedSeg.Core;
using MedSeg.Core.Evaluation;
using MedSeg.Core.Metrics;
using MedSeg.Tests.Core.IO;
using OpenCvSharp;

namespace MedSeg.Tests.Core.Evaluation;

public class SubmissionEvaluatorTests
{
    private static readonly double Diagonal = 6 * Math.Sqrt(3); // (2·3 mm, 4·1.5 mm, 4·1.5 mm)

    [Fact]
    public void Uwmgi_score_of_the_hand_submission()
    {
        using var folder = new TempFolder();
        var (data, submission) = HandSubmission.Write(folder.Path);

        EvaluationReport report = SubmissionEvaluator.Load(submission, data).Evaluate(new EvaluationOptions("uwmgi"));

        Assert.Equal(HandSubmission.UwMadisonScore, report.Score, 12);
        Assert.Equal(0.375, report.Overall.Dice, 12);
        Assert.Equal(EvaluationReport.NormalisedUnit, report.DistanceUnit);
        Assert.Equal(["a", "b", "c"], report.PerClass.Keys);
        Assert.True(double.IsNaN(report.PerClass["c"].Dice));
        Assert.Equal(["case1_day1", "case2_day1"], report.PerCase.Keys);
        Assert.Equal(0, report.PerCase["case2_day1"].Overall.Score);
        // Specificity and ASSD as UwMadisonScoreTests works them out: they fill the columns the label-map report has.
        Assert.Equal((13.0 / 14 + 3) / 4, report.PerClass["a"].Specificity, 12);
        Assert.Equal((1 / (12 * Math.Sqrt(3)) + 1) / 2, report.PerClass["a"].Assd, 12);
        Assert.Equal(1, report.PerClass["c"].Specificity, 12); // no false positive on any of its slices
        Assert.True(double.IsNaN(report.PerClass["c"].Assd)); // both masks empty on every case-day: skipped
        // An all-empty submission: Dice 0 on the 3 non-empty pairs, HD 1 on both case-days.
        Assert.Equal(0, report.EmptyScore, 12);
        Assert.Equal(4, report.Slices);
    }

    [Fact]
    public void Dice_per_volume_with_distances_in_mm()
    {
        using var folder = new TempFolder();
        var (data, submission) = HandSubmission.Write(folder.Path);

        EvaluationReport report = SubmissionEvaluator.Load(submission, data)
            .Evaluate(EvaluationOptions.Parse("dice", "volume", null));

        // Per (case-day, class): case1 a TP 2, FP 1, FN 1 → 2/3; case1 b FP 1 → 0; case2 a FN 1 → 0; the rest both empty.
        Assert.Equal((2.0 / 3 + 0 + 0) / 3, report.Score, 12);
        Assert.Equal(1.0 / 3, report.PerClass["a"].Dice, 12);
        // Surfaces in mm: case1 a is 1.5 mm off at each end (HD 1.5, HD95 at 1.9 of [0, 0, 1.5] = 1.35); a missing
        // or extra mask costs the volume diagonal 6√3 mm.
        Assert.Equal((1.5 + Diagonal) / 2, report.PerClass["a"].Hausdorff, 12);
        Assert.Equal((1.35 + Diagonal) / 2, report.PerClass["a"].Hd95, 12);
        Assert.Equal(Diagonal, report.PerClass["b"].Hausdorff, 12);
        Assert.Equal((1.5 + 2 * Diagonal) / 3, report.Overall.Hausdorff, 12);
        Assert.Equal(EvaluationReport.MillimetreUnit, report.DistanceUnit);
        Assert.Equal(OverlapAggregation.Volume, report.Aggregation);
    }

    [Theory]
    [InlineData("slice", "skip", 0.375)]            // (0.5 + 1 + 0 + 0) / 4, as uwmgi's Dice
    [InlineData("slice", "one", (1.5 + 8) / 12)]    // 12 (slice, class) pairs, 8 of them both empty
    [InlineData("global", "skip", (4.0 / 7 + 0) / 2)] // a: TP 2, FP 1, FN 2; b: FP 1; c: skipped
    [InlineData("global", "zero", (4.0 / 7 + 0 + 0) / 3)]
    public void Dice_at_other_levels_and_policies(string aggregate, string empty, double dice)
    {
        using var folder = new TempFolder();
        var (data, submission) = HandSubmission.Write(folder.Path);

        EvaluationReport report = SubmissionEvaluator.Load(submission, data)
            .Evaluate(EvaluationOptions.Parse("dice", aggregate, empty));

        Assert.Equal(dice, report.Score, 12);
    }

    [Fact]
    public void Json_has_the_design_keys_and_null_for_undefined_figures()
    {
        using var folder = new TempFolder();
        var (data, submission) = HandSubmission.Write(folder.Path);
        EvaluationReport report = SubmissionEvaluator.Load(submission, data).Evaluate(new EvaluationOptions("uwmgi"));

        string text = JsonSerializer.Serialize(report.ToJson());

        Assert.DoesNotContain("NaN", text);
        Assert.DoesNotContain("Infinity", text);
        using var json = JsonDocument.Parse(text);
        JsonElement root = json.RootElement;
        foreach (string key in new[] { "metric", "score", "dice", "iou", "precision", "recall", "hausdorff", "hd95", "per_class", "per_case" })
        {
            Assert.True(root.TryGetProperty(key, out _), $"no '{key}'");
        }
        Assert.Equal(JsonValueKind.Null, root.GetProperty("per_class").GetProperty("c").GetProperty("dice").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("per_class").GetProperty("c").GetProperty("assd").ValueKind);
        // Specificity over the 12 (slice, class) pairs: 13/14 (a), 15/16 (b) and ten pairs without a false positive.
        Assert.Equal(Math.Round((13.0 / 14 + 15.0 / 16 + 10) / 12, 6), root.GetProperty("specificity").GetDouble(), 12);
        JsonElement case2 = root.GetProperty("per_case").GetProperty("case2_day1");
        Assert.Equal(0, case2.GetProperty("score").GetDouble());
        Assert.Equal(JsonValueKind.Null, case2.GetProperty("per_class").GetProperty("b").GetProperty("hausdorff").ValueKind);
        Assert.Equal(2, root.GetProperty("case_days").GetInt32());
        Assert.Equal("normalised", root.GetProperty("hausdorff_unit").GetString());
    }

    [Fact]
    public void Table_writes_n_a_for_undefined_figures()
    {
        using var folder = new TempFolder();
        var (data, submission) = HandSubmission.Write(folder.Path);
        EvaluationReport report = SubmissionEvaluator.Load(submission, data).Evaluate(new EvaluationOptions("uwmgi"));

        string[] lines = report.ToTable().Split('\n');

        string classC = Assert.Single(lines, l => l.StartsWith("c ", StringComparison.Ordinal));
        Assert.Equal(7, classC.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(v => v == "n/a"));
        Assert.DoesNotContain("NaN", string.Join("\n", lines));
        Assert.Contains("2 case-days, 4 slices", lines[0]);
    }

    [Fact]
    public void Worst_slices_are_the_lowest_dice_pairs_of_the_worst_case_days()
    {
        using var folder = new TempFolder();
        var (data, submission) = HandSubmission.Write(folder.Path);
        var evaluator = SubmissionEvaluator.Load(submission, data);
        EvaluationReport report = evaluator.Evaluate(new EvaluationOptions("uwmgi"));

        IReadOnlyList<WorstSlice> one = evaluator.FindWorstSlices(report, cases: 1, slices: 5);
        IReadOnlyList<WorstSlice> both = evaluator.FindWorstSlices(report, cases: 2, slices: 2);

        // case2_day1 (score 0) has one pair that is not both empty: a on slice 1, truth 1 pixel, nothing predicted.
        WorstSlice worst = Assert.Single(one);
        Assert.Equal(("case2_day1", "case2_day1_slice_0001", "a", 0, 0.0, 1L, 0L),
            (worst.CaseId, worst.SliceId, worst.ClassName, worst.ClassIndex, worst.Dice, worst.TruePixels, worst.PredictedPixels));
        using Mat image = Cv2.ImDecode(worst.Png, ImreadModes.Color);
        Assert.Equal((128, 128), (image.Rows, image.Cols)); // 4×4 enlarged 32 times
        // B, G, R: the missed true pixel (2, 2) is striped in class a's colour (red) and black; output (64, 64) is on a red stripe.
        Vec3b missed = image.At<Vec3b>(64, 64);
        Assert.Equal((40, 40, 230), (missed.Item0, missed.Item1, missed.Item2));
        Vec3b between = image.At<Vec3b>(64, 66);
        Assert.Equal((0, 0, 0), (between.Item0, between.Item1, between.Item2));
        Assert.Null(worst.Crop); // one pixel with its margin covers the whole 4×4 slice
        // Over both case-days the Dice-0 pairs come first, larger masks first: case1 b (1 px) and case2 a (1 px).
        Assert.All(both, s => Assert.Equal(0, s.Dice));
        Assert.Equal(["case1_day1_slice_0002 b", "case2_day1_slice_0001 a"], both.Select(s => $"{s.SliceId} {s.ClassName}").Order());
    }

    [Fact]
    public void Options_are_checked()
    {
        Assert.Throws<MedSegException>(() => EvaluationOptions.Parse("dsc", null, null));
        Assert.Contains("--aggregate", Assert.Throws<MedSegException>(() => EvaluationOptions.Parse("uwmgi", "slice", null)).Message);
        Assert.Contains("--empty", Assert.Throws<MedSegException>(() => EvaluationOptions.Parse("uwmgi", null, "one")).Message);
        Assert.Throws<MedSegException>(() => EvaluationOptions.Parse("dice", "case", null));
        Assert.Throws<MedSegException>(() => EvaluationOptions.Parse("dice", null, "maybe"));
        Assert.Equal(OverlapMeasure.Specificity, EvaluationOptions.Parse("specificity", null, null).Measure);
    }
}
