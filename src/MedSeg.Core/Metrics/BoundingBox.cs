namespace MedSeg.Core.Metrics;

/// <summary>
/// The smallest box of a <see cref="VoxelGrid"/> holding every nonzero voxel of a mask; starts inclusive,
/// ends exclusive, in voxel indices (depth, height, width).
/// </summary>
internal readonly record struct BoundingBox(
    int DepthStart, int HeightStart, int WidthStart, int DepthEnd, int HeightEnd, int WidthEnd)
{
    /// <summary>Finds the box of the nonzero voxels of <paramref name="mask"/>; false when the mask is empty.</summary>
    public static bool TryFind(ReadOnlySpan<byte> mask, VoxelGrid grid, out BoundingBox box)
    {
        int d0 = int.MaxValue, h0 = int.MaxValue, w0 = int.MaxValue, d1 = -1, h1 = -1, w1 = -1;
        for (int d = 0; d < grid.Depth; d++)
        {
            for (int h = 0; h < grid.Height; h++)
            {
                ReadOnlySpan<byte> row = mask.Slice((d * grid.Height + h) * grid.Width, grid.Width);
                int first = row.IndexOfAnyExcept((byte)0);
                if (first < 0)
                {
                    continue;
                }
                int last = row.LastIndexOfAnyExcept((byte)0);
                d0 = Math.Min(d0, d);
                d1 = d;
                h0 = Math.Min(h0, h);
                h1 = Math.Max(h1, h);
                w0 = Math.Min(w0, first);
                w1 = Math.Max(w1, last);
            }
        }
        box = d1 < 0 ? default : new BoundingBox(d0, h0, w0, d1 + 1, h1 + 1, w1 + 1);
        return d1 >= 0;
    }

    /// <summary>The smallest box holding both boxes.</summary>
    public BoundingBox Union(BoundingBox other) => new(
        Math.Min(DepthStart, other.DepthStart),
        Math.Min(HeightStart, other.HeightStart),
        Math.Min(WidthStart, other.WidthStart),
        Math.Max(DepthEnd, other.DepthEnd),
        Math.Max(HeightEnd, other.HeightEnd),
        Math.Max(WidthEnd, other.WidthEnd));
}
