namespace MedSeg.Core.Metrics;

/// <summary>
/// Distances between a predicted and a true mask, in the units of the spacing (mm). When a mask is empty all
/// three distances hold the value of the caller's <see cref="EmptyPolicy"/>.
/// </summary>
/// <param name="Hausdorff">Largest distance from a point of either set to the other set.</param>
/// <param name="AtPercentile">
/// The <paramref name="Percentile"/>-th percentile of each directed distance set, the larger of the two
/// (MONAI's <c>compute_hausdorff_distance(percentile=...)</c>; "HD95" at 95).
/// </param>
/// <param name="Average">
/// Mean of the distances of both directions pooled together (average symmetric surface distance, ASSD, for
/// surfaces; MONAI's symmetric <c>compute_average_surface_distance</c>).
/// </param>
/// <param name="Percentile">The percentile (0–100) <paramref name="AtPercentile"/> was taken at.</param>
public readonly record struct HausdorffResult(double Hausdorff, double AtPercentile, double Average, double Percentile);
