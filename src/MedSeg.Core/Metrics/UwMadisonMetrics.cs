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
public sealed record UwMadisonMetrics(
    double Score, double Dice, double Iou, double Precision, double Recall, double Hausdorff, double Hd95)
{
    /// <summary>Figures from running means; the score is derived here and only here.</summary>
    internal static UwMadisonMetrics From(OverlapMeans overlap, RunningMean hausdorff, RunningMean hd95)
    {
        double dice = overlap.Dice.Value, distance = hausdorff.Value;
        return new UwMadisonMetrics(
            0.4 * dice + 0.6 * (1 - distance),
            dice,
            overlap.Iou.Value,
            overlap.Precision.Value,
            overlap.Recall.Value,
            distance,
            hd95.Value);
    }
}
