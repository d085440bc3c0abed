namespace MedSeg.Core.Metrics;

/// <summary>
/// Averaged surface distances in mm (0 best). A figure with nothing to average (every pair both empty) is
/// <see cref="double.NaN"/>.
/// </summary>
/// <param name="Hausdorff">Mean Hausdorff distance.</param>
/// <param name="AtPercentile">Mean percentile Hausdorff distance (HD95 at the default 95).</param>
/// <param name="Average">Mean average symmetric surface distance (ASSD).</param>
/// <param name="Count">Number of (volume, class) pairs averaged.</param>
public sealed record DistanceScores(double Hausdorff, double AtPercentile, double Average, long Count);
