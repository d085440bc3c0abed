using MedSeg.Core;
using MedSeg.Core.Metrics;

namespace MedSeg.Tests.Core.Metrics;

public class ConfusionCountsTests
{
    [Fact]
    public void Hand_case_counts_and_ratios()
    {
        // pred  1 1 0 0 1 0
        // truth 1 0 1 0 1 0   → TP = 2 (positions 0, 4), FP = 1 (1), FN = 1 (2), TN = 2 (3, 5)
        byte[] pred = [1, 7, 0, 0, 255, 0];
        byte[] truth = [3, 0, 1, 0, 1, 0];

        ConfusionCounts counts = ConfusionCounts.Of(pred, truth);

        Assert.Equal(new ConfusionCounts(2, 1, 1, 2), counts);
        Assert.Equal(6, counts.Total);
        Assert.Equal(4.0 / 6, counts.Dice(EmptyPolicy.Skip), 15);      // 2·2 / (2·2 + 1 + 1)
        Assert.Equal(2.0 / 4, counts.Iou(EmptyPolicy.Skip), 15);       // 2 / (2 + 1 + 1)
        Assert.Equal(2.0 / 3, counts.Precision(EmptyPolicy.Skip), 15); // 2 / (2 + 1)
        Assert.Equal(2.0 / 3, counts.Recall(EmptyPolicy.Skip), 15);    // 2 / (2 + 1)
        Assert.Equal(2.0 / 3, counts.Specificity(EmptyPolicy.Skip), 15); // 2 / (2 + 1)
        Assert.Equal(counts.Dice(EmptyPolicy.Skip), counts.F1(EmptyPolicy.Skip));
    }

    [Fact]
    public void Long_masks_count_like_a_plain_loop()
    {
        var random = new Random(7);
        foreach (int length in new[] { 0, 1, 15, 16, 17, 1000, 4099 })
        {
            byte[] pred = BruteForce.RandomMask(random, length, 0.4);
            byte[] truth = BruteForce.RandomMask(random, length, 0.3);
            long tp = 0, fp = 0, fn = 0, tn = 0;
            for (int i = 0; i < length; i++)
            {
                bool p = pred[i] != 0, t = truth[i] != 0;
                tp += p && t ? 1 : 0;
                fp += p && !t ? 1 : 0;
                fn += !p && t ? 1 : 0;
                tn += !p && !t ? 1 : 0;
            }

            Assert.Equal(new ConfusionCounts(tp, fp, fn, tn), ConfusionCounts.Of(pred, truth));
        }
    }

    [Fact]
    public void Both_empty_reports_the_policy()
    {
        ConfusionCounts counts = ConfusionCounts.Of(new byte[5], new byte[5]);

        Assert.True(double.IsNaN(counts.Dice(EmptyPolicy.Skip)));
        Assert.Equal(1, counts.Dice(EmptyPolicy.One));
        Assert.Equal(0, counts.Iou(EmptyPolicy.Zero));
        Assert.Equal(1, counts.Precision(EmptyPolicy.One));
        Assert.Equal(0.5, counts.Recall(EmptyPolicy.Constant(0.5)));
        Assert.Equal(1, counts.Specificity(EmptyPolicy.Skip)); // negatives exist on both sides: 5 / 5
    }

    [Fact]
    public void Empty_prediction_scores_zero_whatever_the_policy()
    {
        ConfusionCounts counts = ConfusionCounts.Of(new byte[4], [0, 1, 1, 0]);

        Assert.Equal(0, counts.Dice(EmptyPolicy.One));
        Assert.Equal(0, counts.Iou(EmptyPolicy.One));
        Assert.Equal(0, counts.Precision(EmptyPolicy.One)); // nothing predicted, truth present
        Assert.Equal(0, counts.Recall(EmptyPolicy.One));
    }

    [Fact]
    public void Empty_truth_scores_zero_whatever_the_policy()
    {
        ConfusionCounts counts = ConfusionCounts.Of([1, 0, 0, 0], new byte[4]);

        Assert.Equal(0, counts.Dice(EmptyPolicy.One));
        Assert.Equal(0, counts.Precision(EmptyPolicy.One));
        Assert.Equal(0, counts.Recall(EmptyPolicy.One)); // no true positives possible, something predicted
        Assert.Equal(3.0 / 4, counts.Specificity(EmptyPolicy.One));
    }

    [Fact]
    public void Specificity_without_true_negatives_follows_the_same_convention()
    {
        ConfusionCounts allPositive = ConfusionCounts.Of([1, 1], [1, 1]);
        ConfusionCounts predictedNegative = ConfusionCounts.Of([0, 1], [1, 1]);

        Assert.Equal(0.25, allPositive.Specificity(EmptyPolicy.Constant(0.25)));
        Assert.Equal(0, predictedNegative.Specificity(EmptyPolicy.One));
    }

    [Fact]
    public void Counts_add_up()
    {
        ConfusionCounts sum = new ConfusionCounts(1, 2, 3, 4) + new ConfusionCounts(10, 20, 30, 40);

        Assert.Equal(new ConfusionCounts(11, 22, 33, 44), sum);
    }

    [Fact]
    public void Different_lengths_are_reported()
    {
        Assert.Throws<MedSegException>(() => ConfusionCounts.Of(new byte[3], new byte[4]));
    }
}
