namespace MedSeg.Core.Metrics;

/// <summary>
/// Averaged overlap ratios (each 0–1, higher is better). A ratio with nothing to average (every item skipped by
/// the empty policy) is <see cref="double.NaN"/>.
/// </summary>
/// <param name="Dice">Mean Dice.</param>
/// <param name="Iou">Mean IoU.</param>
/// <param name="Precision">Mean precision.</param>
/// <param name="Recall">Mean recall.</param>
/// <param name="F1">Mean F1 (equals <paramref name="Dice"/>).</param>
/// <param name="Specificity">Mean specificity.</param>
/// <param name="Count">Number of (item, class) scores averaged into <paramref name="Dice"/> (items the empty policy skipped are not counted).</param>
public sealed record OverlapScores(double Dice, double Iou, double Precision, double Recall, double F1, double Specificity, long Count)
{
    /// <summary>The ratio named by <paramref name="measure"/>.</summary>
    public double Get(OverlapMeasure measure) => measure switch
    {
        OverlapMeasure.Dice => Dice,
        OverlapMeasure.Iou => Iou,
        OverlapMeasure.Precision => Precision,
        OverlapMeasure.Recall => Recall,
        OverlapMeasure.F1 => F1,
        OverlapMeasure.Specificity => Specificity,
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, null),
    };
}
