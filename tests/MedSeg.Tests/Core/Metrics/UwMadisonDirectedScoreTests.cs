using MedSeg.Core.Metrics;

namespace MedSeg.Tests.Core.Metrics;

public class UwMadisonDirectedScoreTests
{
    private static readonly double Sqrt3 = Math.Sqrt(3);

    [Fact]
    public void Distance_runs_from_prediction_to_truth_only()
    {
        // One class, depth 2, 4×4. pred {(0,0,0)}, truth {(0,0,0), (1,3,3)}.
        // Dice: slice 0 is 1, slice 1 (pred empty, truth present) is 0 → 0.5.
        // Directed pred→truth: the one predicted voxel is on the truth → HD 0, so score = 0.4·0.5 + 0.6·1 = 0.8.
        // (The symmetric score would also measure (1,3,3) → (0,0,0): √(0.5² + 0.75² + 0.75²) in the unit cube.)
        var directed = new UwMadisonDirectedScore(["organ"]);
        var symmetric = new UwMadisonScore(["organ"]);
        byte[] pred = UwMadisonScoreTests.Mask((0, 0, 0));
        byte[] truth = UwMadisonScoreTests.Mask((0, 0, 0), (1, 3, 3));

        directed.Update("case1_day1", 2, 4, 4, [pred], [truth]);
        symmetric.Update("case1_day1", 2, 4, 4, [pred], [truth]);

        Assert.Equal(0.5, directed.Compute().Dice, 12);
        Assert.Equal(0, directed.Compute().Hausdorff);
        Assert.Equal(0.8, directed.Compute().Score, 12);
        Assert.Equal(Math.Sqrt(0.25 + 0.5625 + 0.5625) / Sqrt3, symmetric.Compute().Hausdorff, 12);
    }

    [Fact]
    public void Hand_cases_average_over_case_day_and_class_pairs()
    {
        // The two case-days of UwMadisonScoreTests (Dice 0.375 as computed there).
        // Directed HD per (case-day, class):
        //   case1 a: pred {(0,0,0),(0,0,1),(1,1,1)} → truth {(0,0,1),(0,0,2),(1,1,1)}: [1/4, 0, 0] → 0.25/√3;
        //            HD95: position 0.95·2 = 1.9 in [0, 0, 0.25] → 0.225/√3
        //   case1 b: truth empty → 1;  case2 a: pred empty → 1;  case2 b: both empty → skipped.
        // HD = (0.25/√3 + 1 + 1) / 3; score = 0.4·0.375 + 0.6·(1 − HD).
        var score = new UwMadisonDirectedScore(["a", "b"]);
        UwMadisonScoreTests.AddHandCases(score);

        UwMadisonResult result = score.Compute();

        double hausdorff = (0.25 / Sqrt3 + 2) / 3;
        Assert.Equal(0.375, result.Dice, 12);
        Assert.Equal(hausdorff, result.Hausdorff, 12);
        Assert.Equal((0.225 / Sqrt3 + 2) / 3, result.Hd95, 12);
        Assert.Equal(0.4 * 0.375 + 0.6 * (1 - hausdorff), result.Score, 12);
        Assert.Equal((0.25 / Sqrt3 + 1) / 2, result.PerCase["case1_day1"].Hausdorff, 12);
        Assert.Equal(1, result.PerCase["case2_day1"].Hausdorff);
        Assert.Equal(1, result.PerClass["b"].Hausdorff);
    }
}
