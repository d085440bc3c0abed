namespace MedSeg.Core.Viewer;

/// <summary>
/// Per-slice figures of one case, at full resolution, indexed [class][slice]: pixels of the true and the predicted
/// mask, and their Dice (null where both are empty, or without truth or prediction).
/// </summary>
public sealed record ViewerSliceFigures(double?[][] Dice, int[][] TruePixels, int[][] PredictedPixels)
{
    /// <summary>Counts every class on every slice of <paramref name="viewerCase"/>.</summary>
    public static ViewerSliceFigures Of(ViewerCase viewerCase, ViewerMasks kind, int classes)
    {
        ArgumentNullException.ThrowIfNull(viewerCase);
        int depth = viewerCase.Depth, plane = viewerCase.Plane;
        var dice = new double?[classes][];
        var truth = new int[classes][];
        var pred = new int[classes][];
        for (int c = 0; c < classes; c++)
        {
            (dice[c], truth[c], pred[c]) = (new double?[depth], new int[depth], new int[depth]);
            for (int z = 0; z < depth; z++)
            {
                int t = 0, p = 0, both = 0;
                for (int i = z * plane; i < (z + 1) * plane; i++)
                {
                    bool inTruth = viewerCase.Truth is not null && ViewerMaskValues.Holds(kind, viewerCase.Truth[i], c);
                    bool inPred = viewerCase.Pred is not null && ViewerMaskValues.Holds(kind, viewerCase.Pred[i], c);
                    t += inTruth ? 1 : 0;
                    p += inPred ? 1 : 0;
                    both += inTruth && inPred ? 1 : 0;
                }
                (truth[c][z], pred[c][z]) = (t, p);
                bool defined = viewerCase.Truth is not null && viewerCase.Pred is not null && t + p > 0;
                dice[c][z] = defined ? 2.0 * both / (t + p) : null;
            }
        }
        return new ViewerSliceFigures(dice, truth, pred);
    }
}
