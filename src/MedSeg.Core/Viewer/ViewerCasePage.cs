namespace MedSeg.Core.Viewer;

/// <summary>One case as the page holds it: its encoded slices, display geometry, auto window and figures.</summary>
/// <param name="Id">The case.</param>
/// <param name="Depth">Slices.</param>
/// <param name="FullHeight">Rows before shrinking.</param>
/// <param name="FullWidth">Columns before shrinking.</param>
/// <param name="Channels">1 (gray) or 3 (RGB).</param>
/// <param name="Offset">The value a stored 0 stands for.</param>
/// <param name="Scale">The value a stored step stands for.</param>
/// <param name="Spacing">Slice, row and column distance of the shown (shrunk) pixels.</param>
/// <param name="Window">The automatic window (1st and 99th percentile of the case), then the case's smallest and largest value, in the data's units.</param>
/// <param name="SliceNames">One name per slice.</param>
/// <param name="Slices">Per-slice figures at full resolution.</param>
/// <param name="Figures">The case's evaluation figures (score, dice, iou, precision, recall, hausdorff, hd95), or null.</param>
/// <param name="ClassDice">The case's Dice per class, or null.</param>
/// <param name="Planes">The encoded slices.</param>
public sealed record ViewerCasePage(
    string Id, int Depth, int FullHeight, int FullWidth, int Channels, double Offset, double Scale, double[] Spacing,
    double[] Window, IReadOnlyList<string> SliceNames, ViewerSliceFigures Slices,
    IReadOnlyDictionary<string, double?>? Figures, IReadOnlyDictionary<string, double?>? ClassDice, ViewerPlanes Planes)
{
    /// <summary>The case's score, or NaN without one (such cases sort last).</summary>
    public double Score => Figures is not null && Figures.TryGetValue("score", out double? score) && score is double s ? s : double.NaN;
}
