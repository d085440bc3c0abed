using MedSeg.Core;
using MedSeg.Core.Metrics;

namespace MedSeg.Tests.Core.Metrics;

public class UwMadisonScoreTests
{
    private const int Depth = 2, Height = 4, Width = 4;
    private static readonly string[] Classes = ["a", "b"];
    private static readonly double Sqrt3 = Math.Sqrt(3);

    // Two case-days, depth 2, 4×4 slices, classes a and b; voxels written (slice, row, column).
    //
    // case1_day1
    //   a, slice 0: pred {(0,0,0), (0,0,1)}, truth {(0,0,1), (0,0,2)}: TP 1, FP 1, FN 1
    //               → Dice 0.5, IoU 1/3, precision 0.5, recall 0.5
    //   a, slice 1: pred = truth = {(1,1,1)} → Dice, IoU, precision, recall 1
    //   b, slice 0: both empty → skipped
    //   b, slice 1: pred {(1,3,3)}, truth empty → Dice, IoU, precision, recall 0
    // case2_day1 (empty prediction)
    //   a, slice 0: pred empty, truth {(0,2,2)} → all 0; every other (slice, class) pair is both empty → skipped
    //
    // Dice over the 4 pairs that count: (0.5 + 1 + 0 + 0) / 4 = 0.375; IoU (1/3 + 1) / 4 = 1/3;
    // precision and recall (0.5 + 1) / 4 = 0.375.
    //
    // HD, unit cube: a voxel step is 1/2 along slices, 1/4 along rows and columns.
    // case1_day1, classes OR-ed: pred {(0,0,0), (0,0,1), (1,1,1), (1,3,3)}, truth {(0,0,1), (0,0,2), (1,1,1)}.
    //   pred→truth: (0,0,0) 1/4 to (0,0,1); (0,0,1) 0; (1,1,1) 0; (1,3,3) to (1,1,1): √(0.5² + 0.5²) = √0.5
    //               (to (0,0,2) it is √(0.5² + 0.75² + 0.25²) = √0.875, farther).
    //   truth→pred: 0, 1/4, 0.   HD = √0.5, normalised √0.5/√3 = √(1/6).
    //   HD95: pred→truth sorted [0, 0, 0.25, √0.5], position 0.95·3 = 2.85 → 0.25 + 0.85·(√0.5 − 0.25);
    //         truth→pred sorted [0, 0, 0.25], position 1.9 → 0.9·0.25 = 0.225; larger one, divided by √3.
    // case2_day1: pred empty, truth not → HD = HD95 = 1.
    // HD = (√(1/6) + 1) / 2; score = 0.4·0.375 + 0.6·(1 − HD).
    private static readonly double Case1Hausdorff = Math.Sqrt(1.0 / 6);
    private static readonly double Case1Hd95 = (0.25 + 0.85 * (Math.Sqrt(0.5) - 0.25)) / Sqrt3;

    [Fact]
    public void Two_case_days_score_as_computed_by_hand()
    {
        var score = new UwMadisonScore(Classes);
        AddHandCases(score);

        UwMadisonResult result = score.Compute();

        double hausdorff = (Case1Hausdorff + 1) / 2;
        Assert.Equal(0.375, result.Dice, 12);
        Assert.Equal(1.0 / 3, result.Iou, 12);
        Assert.Equal(0.375, result.Precision, 12);
        Assert.Equal(0.375, result.Recall, 12);
        Assert.Equal(hausdorff, result.Hausdorff, 12);
        Assert.Equal((Case1Hd95 + 1) / 2, result.Hd95, 12);
        Assert.Equal(0.4 * 0.375 + 0.6 * (1 - hausdorff), result.Score, 12);
    }

    [Fact]
    public void Per_class_figures_use_that_class_alone()
    {
        var score = new UwMadisonScore(Classes);
        AddHandCases(score);

        UwMadisonResult result = score.Compute();

        // Class a: pairs 0.5, 1 (case1) and 0 (case2) → Dice 0.5, IoU (1/3 + 1 + 0)/3 = 4/9.
        // HD: case1 a alone, pred {(0,0,0),(0,0,1),(1,1,1)} vs truth {(0,0,1),(0,0,2),(1,1,1)}: both directions
        // [1/4, 0, 0] → 0.25/√3; HD95 position 1.9 of [0, 0, 0.25] → 0.225/√3. case2 a: pred empty → 1.
        UwMadisonMetrics a = result.PerClass["a"];
        Assert.Equal(0.5, a.Dice, 12);
        Assert.Equal(4.0 / 9, a.Iou, 12);
        Assert.Equal((0.25 / Sqrt3 + 1) / 2, a.Hausdorff, 12);
        Assert.Equal((0.225 / Sqrt3 + 1) / 2, a.Hd95, 12);
        Assert.Equal(0.4 * 0.5 + 0.6 * (1 - a.Hausdorff), a.Score, 12);
        // Specificity per (slice, class) of 16 pixels, both-empty pairs included (no false positive: 1):
        // case1 slice 0 has 13 TN and 1 FP → 13/14; the other three pairs 1. ASSD: case1 pools the two directions
        // [1/4, 0, 0] and [1/4, 0, 0] → 1/12, normalised 1/(12√3); case2 pred empty → 1.
        Assert.Equal((13.0 / 14 + 3) / 4, a.Specificity, 12);
        Assert.Equal((1 / (12 * Sqrt3) + 1) / 2, a.Assd, 12);
        // Class b: one pair (case1 slice 1) scoring 0; HD case1 truth empty → 1, case2 both empty → skipped;
        // specificity 15/16 on case1 slice 1 (one FP), 1 on the other three pairs.
        UwMadisonMetrics b = result.PerClass["b"];
        Assert.Equal(new UwMadisonMetrics(0, 0, 0, 0, 0, 1, 1, (15.0 / 16 + 3) / 4, 1), b);
        Assert.Equal(["a", "b"], result.PerClass.Keys);
    }

    [Fact]
    public void Per_case_figures_average_within_the_case_day()
    {
        var score = new UwMadisonScore(Classes);
        AddHandCases(score);

        UwMadisonResult result = score.Compute();

        Assert.Equal(["case1_day1", "case2_day1"], result.PerCase.Keys);
        UwMadisonResult case1 = result.PerCase["case1_day1"];
        Assert.Equal(0.5, case1.Dice, 12); // (0.5 + 1 + 0) / 3
        Assert.Equal(Case1Hausdorff, case1.Hausdorff, 12);
        Assert.Equal(0.4 * 0.5 + 0.6 * (1 - Case1Hausdorff), case1.Score, 12);
        Assert.Equal(0.75, case1.PerClass["a"].Dice, 12);
        Assert.Equal(1, case1.PerClass["b"].Hausdorff);
        Assert.Empty(case1.PerCase);

        UwMadisonResult case2 = result.PerCase["case2_day1"];
        Assert.Equal(0, case2.Dice);
        Assert.Equal(1, case2.Hausdorff);
        Assert.Equal(0, case2.Score);
        // Class b of case2 is empty everywhere: nothing to average.
        Assert.True(double.IsNaN(case2.PerClass["b"].Dice));
        Assert.True(double.IsNaN(case2.PerClass["b"].Hausdorff));
    }

    [Fact]
    public void Hausdorff_equals_foreground_distance_in_the_unit_cube_over_sqrt3()
    {
        var random = new Random(11);
        int[] shape = [5, 6, 7];
        byte[] pred = BruteForce.RandomMask(random, 210, 0.1);
        byte[] truth = BruteForce.RandomMask(random, 210, 0.1);
        var score = new UwMadisonScore(["organ"]);

        score.Update("case1_day1", 5, 6, 7, [pred], [truth]);

        HausdorffResult expected = SurfaceDistance.ComputeOverForeground(
            pred, truth, shape, [1.0 / 5, 1.0 / 6, 1.0 / 7], EmptyPolicy.One, EmptyPolicy.Skip);
        UwMadisonResult result = score.Compute();
        Assert.Equal(expected.Hausdorff / Sqrt3, result.Hausdorff, 12);
        Assert.Equal(expected.AtPercentile / Sqrt3, result.Hd95, 12);
    }

    [Fact]
    public void Parallel_updates_in_any_order_give_the_same_result()
    {
        var random = new Random(5);
        var cases = Enumerable.Range(0, 12)
            .Select(i => (Id: $"case{i}_day0", Pred: RandomClasses(random), Truth: RandomClasses(random)))
            .ToArray();
        var sequential = new UwMadisonScore(Classes, maxDegreeOfParallelism: 1);
        foreach (var c in cases)
        {
            sequential.Update(c.Id, 3, 8, 8, c.Pred, c.Truth);
        }
        var parallel = new UwMadisonScore(Classes);

        Parallel.ForEach(cases.Reverse(), c => parallel.Update(c.Id, 3, 8, 8, c.Pred, c.Truth));

        UwMadisonResult expected = sequential.Compute(), actual = parallel.Compute();
        Assert.Equal(expected.Overall, actual.Overall);
        Assert.Equal(expected.PerClass, actual.PerClass);
        Assert.Equal(expected.PerCase.Keys, actual.PerCase.Keys);
        Assert.All(expected.PerCase, pair => Assert.Equal(pair.Value.Overall, actual.PerCase[pair.Key].Overall));
    }

    [Fact]
    public void Reset_forgets_case_days()
    {
        var score = new UwMadisonScore(Classes);
        AddHandCases(score);

        score.Reset();
        AddHandCases(score);

        Assert.Equal(2, score.Compute().PerCase.Count);
    }

    [Fact]
    public void Invalid_updates_are_reported()
    {
        var score = new UwMadisonScore(Classes);
        byte[] mask = new byte[Depth * Height * Width];
        score.Update("case1_day1", Depth, Height, Width, [mask, mask], [mask, mask]);

        Assert.Throws<MedSegException>(() => score.Update("case1_day1", Depth, Height, Width, [mask, mask], [mask, mask]));
        Assert.Throws<MedSegException>(() => score.Update("case2_day1", Depth, Height, Width, [mask], [mask, mask]));
        Assert.Throws<MedSegException>(() => score.Update("case3_day1", Depth, Height, Width + 1, [mask, mask], [mask, mask]));
        Assert.Throws<MedSegException>(() => score.Update("case4_day1", 0, Height, Width, [mask, mask], [mask, mask]));
        Assert.Throws<MedSegException>(() => new UwMadisonScore(["a", "a"]));
        Assert.Throws<MedSegException>(() => new UwMadisonScore([]));
    }

    [Fact]
    public void Empty_prediction_score_is_what_both_presets_measure_for_an_empty_prediction()
    {
        foreach (IUwMadisonMetric metric in new IUwMadisonMetric[] { new UwMadisonScore(Classes), new UwMadisonDirectedScore(Classes) })
        {
            metric.Update("case1_day1", Depth, Height, Width, [Mask(), Mask()], [Mask((0, 0, 1), (1, 1, 1)), Mask()]);
            metric.Update("case2_day1", Depth, Height, Width, [Mask(), Mask()], [Mask(), Mask((1, 2, 2))]);
            Assert.Equal(UwMadisonMetric.EmptyPredictionScore(truthHasForeground: true), metric.Compute().Score, 12);

            metric.Reset();
            metric.Update("case3_day1", Depth, Height, Width, [Mask(), Mask()], [Mask(), Mask()]);
            Assert.True(double.IsNaN(metric.Compute().Score));
            Assert.True(double.IsNaN(UwMadisonMetric.EmptyPredictionScore(truthHasForeground: false)));
        }
    }

    internal static void AddHandCases(IUwMadisonMetric score)
    {
        byte[][] pred = [Mask((0, 0, 0), (0, 0, 1), (1, 1, 1)), Mask((1, 3, 3))];
        byte[][] truth = [Mask((0, 0, 1), (0, 0, 2), (1, 1, 1)), Mask()];
        score.Update("case1_day1", Depth, Height, Width, pred, truth);
        score.Update("case2_day1", Depth, Height, Width, [Mask(), Mask()], [Mask((0, 2, 2)), Mask()]);
    }

    // A depth 2 × 4 × 4 mask with the given (slice, row, column) voxels set.
    internal static byte[] Mask(params (int Slice, int Row, int Column)[] voxels)
    {
        var mask = new byte[Depth * Height * Width];
        foreach (var (slice, row, column) in voxels)
        {
            mask[(slice * Height + row) * Width + column] = 1;
        }
        return mask;
    }

    private static byte[][] RandomClasses(Random random) =>
        [BruteForce.RandomMask(random, 192, 0.05), BruteForce.RandomMask(random, 192, 0.1)];
}
