namespace MedSeg.Core.Metrics;

/// <summary>
/// Result of a <see cref="SurfaceDistanceMetric"/> (mm): the means over all (volume, class) pairs, per class, and
/// per volume (each with its own per-class figures and an empty <see cref="PerVolume"/>).
/// </summary>
/// <param name="Overall">Means over all (volume, class) pairs that are not skipped.</param>
/// <param name="PerClass">Class name → means over volumes, in class order.</param>
/// <param name="PerVolume">Volume id → that volume's result, ordered by id (ordinal).</param>
public sealed record SurfaceDistanceResult(
    DistanceScores Overall,
    IReadOnlyDictionary<string, DistanceScores> PerClass,
    IReadOnlyDictionary<string, SurfaceDistanceResult> PerVolume);
