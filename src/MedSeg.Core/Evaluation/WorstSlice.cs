using MedSeg.Core.IO;
using MedSeg.Core.Metrics;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// One of the worst-scoring (slice, class) pairs of an evaluation, rendered for a person to look at.
/// </summary>
/// <param name="CaseId">The case (case-day) the slice belongs to.</param>
/// <param name="SliceId">The slice (e.g. <c>case123_day20_slice_0067</c>).</param>
/// <param name="ClassName">The class.</param>
/// <param name="ClassIndex">The class's place among the classes after background, which picks its colour (<see cref="OverlayImage.ClassColour"/>).</param>
/// <param name="Dice">Dice of the pair (NaN never: both-empty pairs are not chosen).</param>
/// <param name="TruePixels">Pixels of the true mask.</param>
/// <param name="PredictedPixels">Pixels of the predicted mask.</param>
/// <param name="Png">The slice with true positives, false positives and false negatives drawn as <see cref="ConfusionOverlay"/> does (8-bit RGB PNG).</param>
/// <param name="Crop">The enlarged region around a small structure, or null.</param>
public sealed record WorstSlice(
    string CaseId, string SliceId, string ClassName, int ClassIndex, double Dice, long TruePixels, long PredictedPixels,
    byte[] Png, ConfusionCrop? Crop)
{
    /// <summary>Draws the pair whose masks are <paramref name="truth"/> and <paramref name="pred"/> over the H×W <paramref name="image"/>.</summary>
    /// <param name="caseId">The case (case-day).</param>
    /// <param name="sliceId">The slice.</param>
    /// <param name="className">The class.</param>
    /// <param name="classIndex">The class's place among the classes after background.</param>
    /// <param name="counts">The pair's confusion counts.</param>
    /// <param name="image">H×W row-major image.</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    /// <param name="truth">H×W true mask; nonzero = inside.</param>
    /// <param name="pred">H×W predicted mask; nonzero = inside.</param>
    public static WorstSlice Draw(
        string caseId, string sliceId, string className, int classIndex, ConfusionCounts counts,
        ReadOnlySpan<ushort> image, int height, int width, byte[] truth, byte[] pred)
    {
        (byte[] png, ConfusionCrop? crop) = ConfusionOverlay.Render(image, height, width, truth, pred, classIndex);
        return new WorstSlice(caseId, sliceId, className, classIndex, counts.Dice(EmptyPolicy.Skip),
            counts.TruePositive + counts.FalseNegative, counts.TruePositive + counts.FalsePositive, png, crop);
    }
}
