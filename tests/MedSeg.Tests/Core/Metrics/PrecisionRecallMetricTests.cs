using MedSeg.Core;
using MedSeg.Core.Metrics;

namespace MedSeg.Tests.Core.Metrics;

public class PrecisionRecallMetricTests
{
    // Class a: probabilities 0.9 (+), 0.8 (−), 0.3 (+), 0.1 (−); thresholds 0, 0.1, …, 1 (11 bins).
    // From high to low thresholds: 0.9 → P 1, R 1/2; 0.8 → P 1/2, R 1/2; 0.3 → P 2/3, R 1; 0.1 → P 1/2, R 1.
    // AP = (1/2 − 0)·1 + 0·(1/2) + (1 − 1/2)·(2/3) + 0 = 5/6 (scikit-learn's average_precision_score gives the same).
    // F1: 2/3 at 0.9, 1/2 at 0.4–0.8, 0.8 at 0.2–0.3, 2/3 at 0–0.1 → best 0.8, at the highest such threshold 0.3.
    private static readonly float[] Probabilities = [0.9f, 0.8f, 0.3f, 0.1f];
    private static readonly byte[] Truth = [1, 0, 1, 0];

    [Fact]
    public void Hand_case_curve_average_precision_and_best_threshold()
    {
        var metric = new PrecisionRecallMetric(["a"], bins: 11);
        metric.Update(0, Probabilities, Truth);

        PrecisionRecallCurve curve = metric.Compute().Curves[0];

        Assert.Equal(5.0 / 6, curve.AveragePrecision, 12);
        Assert.Equal(0.8, curve.BestF1, 12);
        Assert.Equal(0.3, curve.BestThreshold, 12);
        Assert.Equal(2, curve.Positives);
        Assert.Equal(2, curve.Negatives);
        Assert.Equal(11, curve.Thresholds.Count);
        Assert.Equal(1, curve.Precision[10]); // nothing predicted at threshold 1: the curve's end point
        Assert.Equal(0, curve.Recall[10]);
        Assert.Equal(0.5, curve.Precision[5], 12);
        Assert.Equal(0.5, curve.Recall[5], 12);
        Assert.Equal(2.0 / 3, curve.Precision[3], 12);
        Assert.Equal(1, curve.Recall[0]);
        Assert.Equal(0.5, curve.Precision[0], 12);
    }

    [Fact]
    public void Average_precision_matches_the_sorted_definition_on_random_data()
    {
        // With probabilities already on the threshold grid, binning loses nothing, so AP must equal the
        // textbook sum over thresholds at the distinct scores taken from a plain sort.
        var random = new Random(3);
        const int bins = 101;
        var probabilities = new float[2000];
        var truth = new byte[2000];
        for (int i = 0; i < probabilities.Length; i++)
        {
            int k = random.Next(bins);
            probabilities[i] = (float)k / (bins - 1);
            truth[i] = random.NextDouble() < 0.15 + 0.7 * k / (bins - 1) ? (byte)1 : (byte)0;
        }
        var metric = new PrecisionRecallMetric(["a"], bins);
        metric.Update(0, probabilities, truth);

        double expected = 0, previousRecall = 0;
        int positives = truth.Count(t => t != 0);
        foreach (float score in probabilities.Distinct().OrderByDescending(p => p))
        {
            int tp = 0, predicted = 0;
            for (int i = 0; i < probabilities.Length; i++)
            {
                if (probabilities[i] >= score)
                {
                    predicted++;
                    tp += truth[i];
                }
            }
            double recall = (double)tp / positives;
            expected += (recall - previousRecall) * tp / predicted;
            previousRecall = recall;
        }

        Assert.Equal(expected, metric.Compute().Curves[0].AveragePrecision, 12);
    }

    [Fact]
    public void Batches_add_up_and_reset_forgets()
    {
        var whole = new PrecisionRecallMetric(["a", "b"], bins: 11);
        whole.Update([Probabilities, [0.2f, 0.4f]], [Truth, [0, 1]]);
        var batches = new PrecisionRecallMetric(["a", "b"], bins: 11);
        batches.Update(0, Probabilities.AsSpan(0, 2), Truth.AsSpan(0, 2));
        batches.Update(0, Probabilities.AsSpan(2), Truth.AsSpan(2));
        batches.Update(1, [0.2f, 0.4f], [0, 1]);

        PrecisionRecallResult expected = whole.Compute(), actual = batches.Compute();

        Assert.Equal(expected.Curves[0].Precision, actual.Curves[0].Precision);
        Assert.Equal(expected.Curves[1].AveragePrecision, actual.Curves[1].AveragePrecision);
        Assert.Equal(1, actual.Curves[1].AveragePrecision); // the only positive has the higher score
        Assert.Equal((5.0 / 6 + 1) / 2, actual.MeanAveragePrecision, 12);
        batches.Reset();
        Assert.Equal(0, batches.Compute().Curves[0].Positives);
    }

    [Fact]
    public void A_class_without_positives_has_no_average_precision()
    {
        var metric = new PrecisionRecallMetric(["a", "empty"], bins: 11);
        metric.Update([Probabilities, [0.5f, 0.7f]], [Truth, [0, 0]]);

        PrecisionRecallResult result = metric.Compute();

        PrecisionRecallCurve empty = result.Curves[1];
        Assert.True(double.IsNaN(empty.AveragePrecision));
        Assert.True(double.IsNaN(empty.BestThreshold));
        Assert.Equal(2, empty.Negatives);
        Assert.Equal(5.0 / 6, result.MeanAveragePrecision, 12);
    }

    [Fact]
    public void Invalid_input_is_reported()
    {
        var metric = new PrecisionRecallMetric(["a"], bins: 11);

        var error = Assert.Throws<MedSegException>(() => metric.Update(0, [0.5f, 1.5f], [0, 1]));
        Assert.Contains("voxel 1", error.Message);
        Assert.Throws<MedSegException>(() => metric.Update(0, [float.NaN], [0]));
        Assert.Throws<MedSegException>(() => metric.Update(0, [0.5f], [0, 1]));
        Assert.Throws<MedSegException>(() => metric.Update([Probabilities, Probabilities], [Truth]));
        Assert.Throws<MedSegException>(() => new PrecisionRecallMetric(["a"], bins: 1));
        Assert.Throws<MedSegException>(() => new PrecisionRecallMetric(["a", "a"]));
    }
}
