namespace MedSeg.Core.Metrics;

/// <summary>
/// The per-class directed variant of the UW-Madison score used by the competition's 1st-place team:
/// 0.4·Dice + 0.6·(1 − HD), with Dice, IoU, precision and recall as in <see cref="UwMadisonScore"/>, but HD
/// measured per class per case-day from prediction to truth only (the largest distance from a predicted voxel
/// to the nearest true voxel), in unit-cube coordinates (voxel index / extent per axis), divided by the
/// diagonal √3 and capped at 1; both masks empty: skipped, one empty: 1. HD is the mean over all
/// (case-day, class) pairs that are not skipped; a case-day's HD is the mean over its classes, a class's HD
/// the mean over case-days. HD95 is the 95th percentile of the same directed distances, ASSD their mean, averaged alike.
/// </summary>
/// <remarks>Thread-safe: case-days may be added from several threads at once.</remarks>
public sealed class UwMadisonDirectedScore : UwMadisonMetric
{
    /// <summary>A score over <paramref name="classes"/> (e.g. stomach, small_bowel, large_bowel).</summary>
    /// <param name="classes">Class names in the order of the masks given to <see cref="UwMadisonMetric.Update"/>.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the distance transforms of one case-day; -1 (default) lets
    /// the pool decide; 1 when the caller already runs case-days in parallel and wants no nesting.</param>
    /// <exception cref="MedSegException">No classes, or a name repeats.</exception>
    public UwMadisonDirectedScore(IReadOnlyList<string> classes, int maxDegreeOfParallelism = -1)
        : base(classes, masks => Measure(masks, maxDegreeOfParallelism))
    {
    }

    private static CaseDayDistances Measure(CaseDayMasks masks, int maxDegreeOfParallelism)
    {
        var perClass = new HausdorffResult[masks.Pred.Count];
        for (int c = 0; c < perClass.Length; c++)
        {
            perClass[c] = UnitCubeDistance.Measure(
                masks.Pred[c], masks.Truth[c], masks.Depth, masks.Height, masks.Width, directed: true, maxDegreeOfParallelism);
        }
        return new CaseDayDistances(perClass, perClass);
    }
}
