namespace MedSeg.Core.Metrics;

/// <summary>
/// Result of an <see cref="OverlapMetric"/>: the scores over everything, per class, and per volume (each with its
/// own per-class scores and an empty <see cref="PerVolume"/>), plus the summed voxel counts per class.
/// </summary>
/// <param name="Overall">Mean over all (item, class) scores of the aggregation level; under
/// <see cref="OverlapAggregation.Global"/> the mean of the per-class scores.</param>
/// <param name="PerClass">Class name → that class's scores, in class order.</param>
/// <param name="PerVolume">Volume id → that volume's result (scores from its slices under
/// <see cref="OverlapAggregation.Slice"/>, else from its summed counts), ordered by id (ordinal).</param>
/// <param name="Counts">Class name → voxel counts summed over the volumes of this result.</param>
public sealed record OverlapResult(
    OverlapScores Overall,
    IReadOnlyDictionary<string, OverlapScores> PerClass,
    IReadOnlyDictionary<string, OverlapResult> PerVolume,
    IReadOnlyDictionary<string, ConfusionCounts> Counts);
