namespace MedSeg.Core.Viewer;

/// <summary>
/// One case as the viewer shows it, at full resolution: <see cref="Depth"/> slices of <see cref="Height"/>×<see cref="Width"/>
/// pixels of <see cref="Channels"/> values (1 = gray, 3 = R, G, B), slice-major, rows, columns, channels interleaved.
/// A stored value v reads as <c>ValueOffset + v·ValueScale</c> in the data's own units (16-bit PNG values, NIfTI
/// intensities). Masks hold one value per pixel whose meaning <see cref="ViewerMasks"/> gives.
/// </summary>
/// <param name="Id">The case (case-day, NIfTI case or image stem).</param>
/// <param name="Depth">Slices.</param>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
/// <param name="Channels">1 or 3.</param>
/// <param name="Pixels">Depth·Height·Width·Channels stored values.</param>
/// <param name="ValueOffset">The value a stored 0 stands for.</param>
/// <param name="ValueScale">The value a stored step stands for.</param>
/// <param name="Spacing">Slice, row and column distance (mm for volumes, 1 for pictures).</param>
/// <param name="SliceNames">One name per slice (e.g. the UW-Madison slice id).</param>
/// <param name="Truth">Depth·Height·Width true masks, or null without ground truth.</param>
/// <param name="Pred">Depth·Height·Width predicted masks, or null without a prediction.</param>
public sealed record ViewerCase(
    string Id, int Depth, int Height, int Width, int Channels, ushort[] Pixels, double ValueOffset, double ValueScale,
    double[] Spacing, IReadOnlyList<string> SliceNames, ushort[]? Truth, ushort[]? Pred)
{
    /// <summary>Pixels of one slice (Height·Width).</summary>
    public int Plane => Height * Width;
}
