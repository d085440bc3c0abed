using System.Numerics;

namespace MedSeg.Core.Metrics;

/// <summary>Confusion counts of every class of a multiclass label map (0 = background, k = class k) in one pass.</summary>
internal static class LabelCounts
{
    /// <summary>
    /// Adds to <paramref name="truePositive"/>, <paramref name="falsePositive"/> and <paramref name="falseNegative"/>
    /// (index k = label k; index 0 is background and collects nothing useful) the counts of <paramref name="pred"/>
    /// against <paramref name="truth"/>, voxel by voxel.
    /// </summary>
    /// <exception cref="MedSegException">A value is negative or above the last class.</exception>
    public static void Add<T>(
        ReadOnlySpan<T> pred, ReadOnlySpan<T> truth, Span<long> truePositive, Span<long> falsePositive, Span<long> falseNegative,
        string volumeId)
        where T : unmanaged, IBinaryInteger<T>
    {
        int classes = truePositive.Length - 1;
        for (int i = 0; i < pred.Length; i++)
        {
            int p = Label(pred[i], classes, i, "predicted", volumeId);
            int t = Label(truth[i], classes, i, "true", volumeId);
            if (p == t)
            {
                truePositive[p]++;
            }
            else
            {
                falsePositive[p]++;
                falseNegative[t]++;
            }
        }
    }

    private static int Label<T>(T value, int classes, int index, string what, string volumeId)
        where T : unmanaged, IBinaryInteger<T>
    {
        int label = int.CreateSaturating(value);
        if ((uint)label > (uint)classes)
        {
            throw new MedSegException(
                $"The {what} label map of '{volumeId}' holds {value} at voxel {index}; labels must be 0 (background) to {classes} for {classes} classes.");
        }
        return label;
    }
}
