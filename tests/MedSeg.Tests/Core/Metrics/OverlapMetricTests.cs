using MedSeg.Core;
using MedSeg.Core.Metrics;

namespace MedSeg.Tests.Core.Metrics;

public class OverlapMetricTests
{
    private const int SliceSize = 4; // 2×2 slices, voxels written in row-major order
    private static readonly string[] Classes = ["a", "b"];

    // vol1 (2 slices) and vol2 (1 slice), classes a and b, disjoint so they also form label maps (a = 1, b = 2).
    //   vol1 a s0: pred 1100, truth 1000 → TP 1, FP 1, FN 0, TN 2: Dice 2/3, IoU 1/2, precision 1/2, recall 1, specificity 2/3
    //   vol1 a s1: both empty (specificity 4/4 = 1)
    //   vol1 b s0: pred 0000, truth 0011 → TP 0, FN 2, TN 2: Dice, IoU, precision, recall 0; specificity 1
    //   vol1 b s1: pred 0001, truth 0001 → all 1
    //   vol2 a s0: pred 1111, truth 1111 → Dice, IoU, precision, recall 1; no negatives: specificity both empty
    //   vol2 b s0: both empty
    private static readonly byte[][] Vol1Pred = [[1, 1, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 1]];
    private static readonly byte[][] Vol1Truth = [[1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0, 1]];
    private static readonly byte[][] Vol2Pred = [[1, 1, 1, 1], [0, 0, 0, 0]];
    private static readonly byte[][] Vol2Truth = [[1, 1, 1, 1], [0, 0, 0, 0]];

    public static TheoryData<OverlapAggregation, string, double, double, double> HandDice => new()
    {
        // Slice, skip: a (2/3, 1), b (0, 1) → overall (2/3 + 1 + 0 + 1) / 4 = 2/3.
        { OverlapAggregation.Slice, "skip", 2.0 / 3, 5.0 / 6, 0.5 },
        // Slice, one: both-empty pairs vol1 a s1 and vol2 b s0 score 1 → (2/3 + 1 + 1 + 0 + 1 + 1) / 6.
        { OverlapAggregation.Slice, "one", 7.0 / 9, 8.0 / 9, 2.0 / 3 },
        // Slice, zero: they score 0 → (2/3 + 1 + 0 + 0 + 1 + 0) / 6.
        { OverlapAggregation.Slice, "zero", 4.0 / 9, 5.0 / 9, 1.0 / 3 },
        // Volume, skip: vol1 a 2·1/(2+1) = 2/3, vol1 b 2·1/(2+2) = 1/2, vol2 a 1, vol2 b skipped.
        { OverlapAggregation.Volume, "skip", 13.0 / 18, 5.0 / 6, 0.5 },
        // Volume, zero: vol2 b scores 0 → (2/3 + 1/2 + 1 + 0) / 4; b (1/2 + 0) / 2.
        { OverlapAggregation.Volume, "zero", 13.0 / 24, 5.0 / 6, 0.25 },
        // Global: a TP 5, FP 1, FN 0 → 10/11; b TP 1, FN 2 → 1/2; overall their mean.
        { OverlapAggregation.Global, "skip", 31.0 / 44, 10.0 / 11, 0.5 },
    };

    [Theory]
    [MemberData(nameof(HandDice))]
    public void Dice_at_each_level_and_policy_matches_the_hand_computation(
        OverlapAggregation aggregation, string empty, double overall, double a, double b)
    {
        var metric = new OverlapMetric(Classes, aggregation, EmptyPolicy.Parse(empty));
        metric.Update("vol1", SliceSize, Vol1Pred, Vol1Truth);
        metric.Update("vol2", SliceSize, Vol2Pred, Vol2Truth);

        OverlapResult result = metric.Compute();

        Assert.Equal(overall, result.Overall.Dice, 12);
        Assert.Equal(a, result.PerClass["a"].Dice, 12);
        Assert.Equal(b, result.PerClass["b"].Dice, 12);
        Assert.Equal(result.Overall.Dice, result.Overall.F1);
    }

    [Fact]
    public void Other_ratios_per_slice_skip_their_own_empty_cases()
    {
        var metric = new OverlapMetric(Classes, OverlapAggregation.Slice, EmptyPolicy.Skip);
        metric.Update("vol1", SliceSize, Vol1Pred, Vol1Truth);
        metric.Update("vol2", SliceSize, Vol2Pred, Vol2Truth);

        OverlapResult result = metric.Compute();

        OverlapScores a = result.PerClass["a"];
        Assert.Equal((0.5 + 1) / 2, a.Iou, 12);
        Assert.Equal((0.5 + 1) / 2, a.Precision, 12);
        Assert.Equal(1, a.Recall, 12);
        // Specificity is skipped only where neither side has negatives (vol2 a), not where Dice is (vol1 a s1).
        Assert.Equal((2.0 / 3 + 1) / 2, a.Specificity, 12);
        Assert.Equal(2, a.Count);
        OverlapScores b = result.PerClass["b"];
        Assert.Equal(0.5, b.Precision, 12); // vol1 s0 predicts nothing while truth is present: 0, not skipped
        Assert.Equal(1, b.Specificity, 12);
        Assert.Equal(4, result.Overall.Count);
    }

    [Fact]
    public void Per_volume_scores_and_counts()
    {
        var metric = new OverlapMetric(Classes, OverlapAggregation.Slice, EmptyPolicy.Skip);
        metric.Update("vol2", SliceSize, Vol2Pred, Vol2Truth);
        metric.Update("vol1", SliceSize, Vol1Pred, Vol1Truth);

        OverlapResult result = metric.Compute();

        Assert.Equal(["vol1", "vol2"], result.PerVolume.Keys);
        OverlapResult vol1 = result.PerVolume["vol1"];
        Assert.Equal((2.0 / 3 + 0 + 1) / 3, vol1.Overall.Dice, 12);
        Assert.Equal(2.0 / 3, vol1.PerClass["a"].Dice, 12);
        Assert.Equal(new ConfusionCounts(1, 0, 2, 5), vol1.Counts["b"]);
        Assert.Empty(vol1.PerVolume);
        Assert.Equal(new ConfusionCounts(5, 1, 0, 6), result.Counts["a"]);
        Assert.True(double.IsNaN(result.PerVolume["vol2"].PerClass["b"].Dice));
    }

    [Fact]
    public void Slices_added_batch_by_batch_give_the_same_result_as_one_update()
    {
        foreach (OverlapAggregation aggregation in Enum.GetValues<OverlapAggregation>())
        {
            var whole = new OverlapMetric(Classes, aggregation, EmptyPolicy.One);
            whole.Update("vol1", SliceSize, Vol1Pred, Vol1Truth);
            whole.Update("vol2", SliceSize, Vol2Pred, Vol2Truth);
            var batches = new OverlapMetric(Classes, aggregation, EmptyPolicy.One);
            for (int s = 0; s < 2; s++)
            {
                for (int c = 0; c < 2; c++)
                {
                    batches.Update("vol1", c, SliceSize, Vol1Pred[c].AsSpan(s * SliceSize, SliceSize), Vol1Truth[c].AsSpan(s * SliceSize, SliceSize));
                }
            }
            batches.Update("vol2", SliceSize, Vol2Pred, Vol2Truth);

            OverlapResult expected = whole.Compute(), actual = batches.Compute();

            Assert.Equal(expected.Overall, actual.Overall);
            Assert.Equal(expected.PerClass, actual.PerClass);
            Assert.Equal(expected.Counts, actual.Counts);
        }
    }

    [Fact]
    public void Label_maps_score_like_the_masks_they_encode()
    {
        ushort[] vol1Pred = [1, 1, 0, 0, 0, 0, 0, 2];
        ushort[] vol1Truth = [1, 0, 2, 2, 0, 0, 0, 2];
        foreach (OverlapAggregation aggregation in Enum.GetValues<OverlapAggregation>())
        {
            var masks = new OverlapMetric(Classes, aggregation, EmptyPolicy.Skip);
            masks.Update("vol1", SliceSize, Vol1Pred, Vol1Truth);
            masks.Update("vol2", SliceSize, Vol2Pred, Vol2Truth);
            var labels = new OverlapMetric(Classes, aggregation, EmptyPolicy.Skip);
            labels.UpdateLabels<ushort>("vol1", SliceSize, vol1Pred, vol1Truth);
            labels.UpdateLabels<byte>("vol2", SliceSize, [1, 1, 1, 1], [1, 1, 1, 1]);

            OverlapResult expected = masks.Compute(), actual = labels.Compute();

            Assert.Equal(expected.Overall, actual.Overall);
            Assert.Equal(expected.PerClass, actual.PerClass);
            Assert.Equal(expected.Counts, actual.Counts);
        }
    }

    [Fact]
    public void Reset_forgets_volumes()
    {
        var metric = new OverlapMetric(Classes, OverlapAggregation.Volume, EmptyPolicy.Skip);
        metric.Update("vol1", SliceSize, Vol1Pred, Vol1Truth);

        metric.Reset();
        metric.Update("vol2", SliceSize, Vol2Pred, Vol2Truth);

        OverlapResult result = metric.Compute();
        Assert.Equal(["vol2"], result.PerVolume.Keys);
        Assert.Equal(1, result.Overall.Dice);
    }

    [Fact]
    public void Invalid_updates_are_reported()
    {
        var metric = new OverlapMetric(Classes, OverlapAggregation.Slice, EmptyPolicy.Skip);

        Assert.Throws<MedSegException>(() => metric.Update("v", SliceSize, [new byte[4]], [new byte[4]]));
        Assert.Throws<MedSegException>(() => metric.Update("v", SliceSize, [new byte[4], new byte[6]], [new byte[4], new byte[6]]));
        Assert.Throws<MedSegException>(() => metric.Update("v", SliceSize, [new byte[4], new byte[4]], [new byte[4], new byte[8]]));
        Assert.Throws<MedSegException>(() => metric.Update("v", 0, [new byte[4], new byte[4]], [new byte[4], new byte[4]]));
        var error = Assert.Throws<MedSegException>(() => metric.UpdateLabels<short>("v", SliceSize, [0, 3, 0, 0], [0, 0, 0, 0]));
        Assert.Contains("voxel 1", error.Message);
        Assert.Throws<MedSegException>(() => metric.UpdateLabels<short>("v", SliceSize, [0, 0, 0, 0], [0, -1, 0, 0]));
        Assert.Throws<MedSegException>(() => new OverlapMetric(["a", "a"], OverlapAggregation.Slice, EmptyPolicy.Skip));
        Assert.Throws<MedSegException>(() => new OverlapMetric([], OverlapAggregation.Slice, EmptyPolicy.Skip));
    }
}
