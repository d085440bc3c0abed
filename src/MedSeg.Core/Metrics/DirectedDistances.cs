namespace MedSeg.Core.Metrics;

/// <summary>
/// Summary of the distances from every point of one set to the nearest point of another (spacing units).
/// </summary>
/// <param name="Count">Number of points measured from.</param>
/// <param name="Maximum">Largest distance: the directed Hausdorff distance.</param>
/// <param name="AtPercentile">The requested percentile of the distances.</param>
/// <param name="Sum">Sum of the distances.</param>
internal readonly record struct DirectedDistances(long Count, double Maximum, double AtPercentile, double Sum);
