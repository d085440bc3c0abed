using MedSeg.Core.Metrics;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// The figures of an evaluation for everything, one class, or one case: overlap ratios 0–1 (higher is better) and
/// distances (lower is better) in the report's <see cref="EvaluationReport.DistanceUnit"/>. A figure that is
/// undefined (nothing to average) or not measured by the metric is <see cref="double.NaN"/>.
/// </summary>
/// <param name="Score">The metric's headline figure (the uwmgi score, or the chosen overlap ratio).</param>
/// <param name="Dice">Mean Dice.</param>
/// <param name="Iou">Mean IoU.</param>
/// <param name="Precision">Mean precision.</param>
/// <param name="Recall">Mean recall.</param>
/// <param name="F1">Mean F1.</param>
/// <param name="Specificity">Mean specificity.</param>
/// <param name="Hausdorff">Mean Hausdorff distance.</param>
/// <param name="Hd95">Mean 95th percentile Hausdorff distance.</param>
/// <param name="Assd">Mean average symmetric surface distance (under the uwmgi presets: between all foreground voxels, normalised as HD is).</param>
public sealed record EvaluationFigures(
    double Score, double Dice, double Iou, double Precision, double Recall, double F1, double Specificity,
    double Hausdorff, double Hd95, double Assd)
{
    /// <summary>Figures of a UW-Madison preset (distances normalised to the unit cube).</summary>
    public static EvaluationFigures From(UwMadisonMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new(metrics.Score, metrics.Dice, metrics.Iou, metrics.Precision, metrics.Recall, metrics.Dice, metrics.Specificity,
            metrics.Hausdorff, metrics.Hd95, metrics.Assd);
    }

    /// <summary>Figures of an overlap metric whose score is <paramref name="measure"/>, with surface distances in mm.</summary>
    public static EvaluationFigures From(OverlapMeasure measure, OverlapScores overlap, DistanceScores distances)
    {
        ArgumentNullException.ThrowIfNull(overlap);
        ArgumentNullException.ThrowIfNull(distances);
        return new(overlap.Get(measure), overlap.Dice, overlap.Iou, overlap.Precision, overlap.Recall, overlap.F1,
            overlap.Specificity, distances.Hausdorff, distances.AtPercentile, distances.Average);
    }
}
