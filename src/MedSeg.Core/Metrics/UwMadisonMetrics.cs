namespace MedSeg.Core.Metrics;

/// <summary>
/// UW-Madison competition figures for a set of case-days, one case-day, or one class. Overlap scores are means
/// over (slice, class) pairs with both-empty pairs skipped; distances are normalised to the unit cube and
/// divided by √3 (0 best, 1 worst). A figure with nothing to average is NaN.
/// </summary>
/// <param name="Score">0.4·<paramref name="Dice"/> + 0.6·(1 − <paramref name="Hausdorff"/>).</param>
/// <param name="Dice">Mean Dice.</param>
/// <param name="Iou">Mean IoU.</param>
/// <param name="Precision">Mean precision.</param>
/// <param name="Recall">Mean recall.</param>
/// <param name="Hausdorff">Mean normalised Hausdorff distance.</param>
/// <param name="Hd95">Mean normalised 95th percentile Hausdorff distance.</param>
/// <param name="Specificity">Mean specificity over the same (slice, class) pairs as Dice (a pair with negatives counts, both-empty ones included).</param>
/// <param name="Assd">Mean normalised average distance (both directions pooled; from prediction to truth under the directed preset).</param>
public sealed record UwMadisonMetrics(
    double Score, double Dice, double Iou, double Precision, double Recall, double Hausdorff, double Hd95,
    double Specificity, double Assd)
{
    /// <summary>Figures from running means; the score is derived here and only here.</summary>
    internal static UwMadisonMetrics From(OverlapMeans overlap, DistanceMeans distances)
    {
        double dice = overlap.Dice.Value, distance = distances.Hausdorff.Value;
        return new UwMadisonMetrics(
            0.4 * dice + 0.6 * (1 - distance),
            dice,
            overlap.Iou.Value,
            overlap.Precision.Value,
            overlap.Recall.Value,
            distance,
            distances.AtPercentile.Value,
            overlap.Specificity.Value,
            distances.Average.Value);
    }
}
