using System.Buffers;
using System.Numerics;

namespace MedSeg.Core.Metrics;

/// <summary>
/// The UW-Madison GI tract competition score (<c>--metric uwmgi</c>): 0.4·Dice + 0.6·(1 − HD).
/// Dice is computed per (slice, class), both-empty pairs skipped, and averaged over all pairs of all
/// case-days. HD is computed per case-day on the 3-D stack of its slices with the classes OR-ed together,
/// between all foreground voxels, each voxel index divided by the volume's extent along that axis,
/// symmetric (the larger directed distance), divided by √3; both masks empty: skipped, one empty: 1; averaged
/// over case-days. IoU, precision and recall are averaged like Dice, specificity over every (slice, class) pair
/// with negatives (both-empty ones included); HD95 and the average distance (ASSD, both directions pooled) like HD.
/// A class's HD is computed per case-day on that class alone and averaged over case-days.
/// </summary>
/// <remarks>Thread-safe: case-days may be added from several threads at once.</remarks>
public sealed class UwMadisonScore : UwMadisonMetric
{
    /// <summary>A score over <paramref name="classes"/> (e.g. stomach, small_bowel, large_bowel).</summary>
    /// <param name="classes">Class names in the order of the masks given to <see cref="UwMadisonMetric.Update"/>.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the distance transforms of one case-day; -1 (default) lets
    /// the pool decide; 1 when the caller already runs case-days in parallel and wants no nesting.</param>
    /// <exception cref="MedSegException">No classes, or a name repeats.</exception>
    public UwMadisonScore(IReadOnlyList<string> classes, int maxDegreeOfParallelism = -1)
        : base(classes, masks => Measure(masks, maxDegreeOfParallelism))
    {
    }

    private static CaseDayDistances Measure(CaseDayMasks masks, int maxDegreeOfParallelism)
    {
        var perClass = new HausdorffResult[masks.Pred.Count];
        for (int c = 0; c < perClass.Length; c++)
        {
            perClass[c] = UnitCubeDistance.Measure(
                masks.Pred[c], masks.Truth[c], masks.Depth, masks.Height, masks.Width, directed: false, maxDegreeOfParallelism);
        }
        byte[] predUnion = ArrayPool<byte>.Shared.Rent(masks.Count);
        byte[] truthUnion = ArrayPool<byte>.Shared.Rent(masks.Count);
        try
        {
            Union(masks.Pred, predUnion.AsSpan(0, masks.Count));
            Union(masks.Truth, truthUnion.AsSpan(0, masks.Count));
            HausdorffResult combined = UnitCubeDistance.Measure(
                predUnion.AsSpan(0, masks.Count), truthUnion.AsSpan(0, masks.Count),
                masks.Depth, masks.Height, masks.Width, directed: false, maxDegreeOfParallelism);
            return new CaseDayDistances(perClass, [combined]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(predUnion);
            ArrayPool<byte>.Shared.Return(truthUnion);
        }
    }

    // union = masks[0] | masks[1] | ..., voxel by voxel (nonzero = foreground).
    private static void Union(IReadOnlyList<byte[]> masks, Span<byte> union)
    {
        masks[0].AsSpan(0, union.Length).CopyTo(union);
        for (int c = 1; c < masks.Count; c++)
        {
            ReadOnlySpan<byte> mask = masks[c];
            int i = 0;
            for (; i <= union.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                (new Vector<byte>(union[i..]) | new Vector<byte>(mask[i..])).CopyTo(union[i..]);
            }
            for (; i < union.Length; i++)
            {
                union[i] |= mask[i];
            }
        }
    }
}
