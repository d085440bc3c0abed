namespace MedSeg.Core.Metrics;

/// <summary>
/// The precision–recall curve of one class over a fixed grid of probability thresholds, from
/// <see cref="PrecisionRecallMetric"/>. Entry k is the threshold k/(bins − 1): a voxel counts as predicted
/// positive when its probability is at least that threshold.
/// </summary>
/// <param name="ClassName">The class.</param>
/// <param name="Thresholds">Thresholds 0, 1/(bins − 1), …, 1 (increasing).</param>
/// <param name="Precision">TP/(TP+FP) at each threshold; 1 where nothing is predicted positive (the curve's end point).</param>
/// <param name="Recall">TP/(TP+FN) at each threshold; NaN everywhere when the class has no positive voxel.</param>
/// <param name="AveragePrecision">Σ (R_k − R_{k+1})·P_k over thresholds from high to low (scikit-learn's
/// <c>average_precision_score</c> on probabilities rounded down to the grid); NaN without positives.</param>
/// <param name="BestThreshold">The highest threshold where F1 = 2PR/(P+R) is largest; NaN without positives.</param>
/// <param name="BestF1">That largest F1; NaN without positives.</param>
/// <param name="Positives">True positive voxels seen (truth nonzero).</param>
/// <param name="Negatives">True negative voxels seen (truth zero).</param>
public sealed record PrecisionRecallCurve(
    string ClassName,
    IReadOnlyList<double> Thresholds,
    IReadOnlyList<double> Precision,
    IReadOnlyList<double> Recall,
    double AveragePrecision,
    double BestThreshold,
    double BestF1,
    long Positives,
    long Negatives)
{
    /// <summary>Builds the curve from histograms of positive and negative voxels by threshold bin.</summary>
    internal static PrecisionRecallCurve FromHistogram(string className, ReadOnlySpan<long> positives, ReadOnlySpan<long> negatives)
    {
        int bins = positives.Length;
        long allPositives = 0, allNegatives = 0;
        foreach (long count in positives)
        {
            allPositives += count;
        }
        foreach (long count in negatives)
        {
            allNegatives += count;
        }
        var thresholds = new double[bins];
        var precision = new double[bins];
        var recall = new double[bins];
        double averagePrecision = 0, bestF1 = double.NaN, bestThreshold = double.NaN, previousRecall = 0;
        long truePositive = 0, falsePositive = 0;
        // From the highest threshold down: voxels of bin k become positive at threshold k/(bins − 1).
        for (int k = bins - 1; k >= 0; k--)
        {
            truePositive += positives[k];
            falsePositive += negatives[k];
            thresholds[k] = (double)k / (bins - 1);
            precision[k] = truePositive + falsePositive == 0 ? 1 : (double)truePositive / (truePositive + falsePositive);
            recall[k] = allPositives == 0 ? double.NaN : (double)truePositive / allPositives;
            if (allPositives == 0)
            {
                continue;
            }
            averagePrecision += (recall[k] - previousRecall) * precision[k];
            previousRecall = recall[k];
            double f1 = truePositive == 0 ? 0 : 2 * precision[k] * recall[k] / (precision[k] + recall[k]);
            if (!(f1 <= bestF1))
            {
                bestF1 = f1;
                bestThreshold = thresholds[k];
            }
        }
        return new PrecisionRecallCurve(className, thresholds, precision, recall,
            allPositives == 0 ? double.NaN : averagePrecision, bestThreshold, bestF1, allPositives, allNegatives);
    }
}
