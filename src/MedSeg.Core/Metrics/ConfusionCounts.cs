using System.Numerics;
using System.Runtime.Intrinsics;

namespace MedSeg.Core.Metrics;

/// <summary>
/// Voxel counts of a binary prediction against a binary truth (nonzero = positive). Counts add up, so
/// per-slice counts can be summed into per-volume or global counts before a ratio is taken; the
/// aggregation level is the caller's choice.
/// </summary>
/// <remarks>
/// Ratio conventions: Dice = 2TP/(2TP+FP+FN), IoU = TP/(TP+FP+FN), precision = TP/(TP+FP),
/// recall = TP/(TP+FN), F1 = Dice, specificity = TN/(TN+FP). When a denominator is zero because both
/// sides of the ratio are empty (no positives predicted and none true, or for specificity no negatives
/// predicted and none true), the caller's <see cref="EmptyPolicy"/> decides. When only one side is empty
/// (e.g. nothing predicted but truth present), the ratio is 0: precision with no predicted positives and a
/// nonempty truth is 0, recall with no true positives and a nonempty prediction is 0.
/// </remarks>
public readonly record struct ConfusionCounts(long TruePositive, long FalsePositive, long FalseNegative, long TrueNegative)
{
    /// <summary>Number of voxels counted.</summary>
    public long Total => TruePositive + FalsePositive + FalseNegative + TrueNegative;

    /// <summary>Counts of <paramref name="pred"/> against <paramref name="truth"/>, voxel by voxel.</summary>
    /// <param name="pred">Predicted mask, any layout; nonzero = positive.</param>
    /// <param name="truth">Ground-truth mask with the same length and layout; nonzero = positive.</param>
    /// <exception cref="MedSegException">The masks differ in length.</exception>
    public static ConfusionCounts Of(ReadOnlySpan<byte> pred, ReadOnlySpan<byte> truth)
    {
        if (pred.Length != truth.Length)
        {
            throw new MedSegException(
                $"Prediction has {pred.Length} voxels but truth has {truth.Length}; masks must be the same size.");
        }
        long truePositive = 0, falsePositive = 0, falseNegative = 0;
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= pred.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                uint predZero = Vector128.Equals(Vector128.Create(pred.Slice(i, Vector128<byte>.Count)), Vector128<byte>.Zero)
                    .ExtractMostSignificantBits();
                uint truthZero = Vector128.Equals(Vector128.Create(truth.Slice(i, Vector128<byte>.Count)), Vector128<byte>.Zero)
                    .ExtractMostSignificantBits();
                truePositive += BitOperations.PopCount(~predZero & ~truthZero & 0xFFFFu);
                falsePositive += BitOperations.PopCount(~predZero & truthZero);
                falseNegative += BitOperations.PopCount(predZero & ~truthZero);
            }
        }
        for (; i < pred.Length; i++)
        {
            bool p = pred[i] != 0, t = truth[i] != 0;
            if (p && t)
            {
                truePositive++;
            }
            else if (p)
            {
                falsePositive++;
            }
            else if (t)
            {
                falseNegative++;
            }
        }
        long trueNegative = pred.Length - truePositive - falsePositive - falseNegative;
        return new ConfusionCounts(truePositive, falsePositive, falseNegative, trueNegative);
    }

    /// <summary>Sum of two sets of counts (e.g. two slices of one volume).</summary>
    public static ConfusionCounts operator +(ConfusionCounts a, ConfusionCounts b) => new(
        a.TruePositive + b.TruePositive,
        a.FalsePositive + b.FalsePositive,
        a.FalseNegative + b.FalseNegative,
        a.TrueNegative + b.TrueNegative);

    /// <summary>Dice = 2TP/(2TP+FP+FN); <paramref name="bothEmpty"/> when prediction and truth are both empty.</summary>
    public double Dice(EmptyPolicy bothEmpty) => Ratio(2 * TruePositive, 2 * TruePositive + FalsePositive + FalseNegative, bothEmpty);

    /// <summary>IoU (Jaccard) = TP/(TP+FP+FN); <paramref name="bothEmpty"/> when both masks are empty.</summary>
    public double Iou(EmptyPolicy bothEmpty) => Ratio(TruePositive, TruePositive + FalsePositive + FalseNegative, bothEmpty);

    /// <summary>
    /// Precision = TP/(TP+FP); 0 when nothing is predicted but truth is present; <paramref name="bothEmpty"/>
    /// when both masks are empty.
    /// </summary>
    public double Precision(EmptyPolicy bothEmpty) => Ratio(TruePositive, TruePositive + FalsePositive + FalseNegative, TruePositive + FalsePositive, bothEmpty);

    /// <summary>
    /// Recall (sensitivity) = TP/(TP+FN); 0 when truth is empty but something is predicted;
    /// <paramref name="bothEmpty"/> when both masks are empty.
    /// </summary>
    public double Recall(EmptyPolicy bothEmpty) => Ratio(TruePositive, TruePositive + FalsePositive + FalseNegative, TruePositive + FalseNegative, bothEmpty);

    /// <summary>F1 = 2·precision·recall/(precision+recall), which equals <see cref="Dice"/>.</summary>
    public double F1(EmptyPolicy bothEmpty) => Dice(bothEmpty);

    /// <summary>
    /// Specificity = TN/(TN+FP); 0 when the truth has no negatives but the prediction has;
    /// <paramref name="bothEmpty"/> when neither has negatives (both masks cover every voxel).
    /// </summary>
    public double Specificity(EmptyPolicy bothEmpty) => Ratio(TrueNegative, TrueNegative + FalsePositive + FalseNegative, TrueNegative + FalsePositive, bothEmpty);

    private static double Ratio(long numerator, long denominator, EmptyPolicy bothEmpty) =>
        denominator == 0 ? bothEmpty.Value : (double)numerator / denominator;

    // A zero denominator with a nonzero "either side" count means one side is empty and the other is not: 0.
    private static double Ratio(long numerator, long eitherSide, long denominator, EmptyPolicy bothEmpty) =>
        denominator != 0 ? (double)numerator / denominator : eitherSide == 0 ? bothEmpty.Value : 0;
}
