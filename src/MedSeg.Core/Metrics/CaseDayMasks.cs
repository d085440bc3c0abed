namespace MedSeg.Core.Metrics;

/// <summary>The validated per-class masks of one case-day: depth × height × width, row-major, slices in order.</summary>
internal readonly record struct CaseDayMasks(
    int Depth, int Height, int Width, IReadOnlyList<byte[]> Pred, IReadOnlyList<byte[]> Truth)
{
    /// <summary>Voxels in one class mask.</summary>
    public int Count => Depth * Height * Width;
}
