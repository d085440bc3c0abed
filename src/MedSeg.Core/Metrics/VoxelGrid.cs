namespace MedSeg.Core.Metrics;

/// <summary>
/// A 2-D or 3-D voxel grid seen as depth × height × width (row-major, width fastest) with a spacing per
/// axis. A 2-D grid (H,W) is depth 1 and <see cref="Planar"/>: it has no neighbours along depth.
/// </summary>
internal readonly record struct VoxelGrid(
    int Depth, int Height, int Width, double DepthSpacing, double HeightSpacing, double WidthSpacing, bool Planar)
{
    /// <summary>Number of voxels.</summary>
    public int Count => Depth * Height * Width;

    /// <summary>Voxels in one depth plane.</summary>
    public int PlaneSize => Height * Width;

    /// <summary>
    /// Grid of a mask of <paramref name="shape"/> (H,W) or (D,H,W) with <paramref name="spacing"/> in the same
    /// axis order.
    /// </summary>
    /// <exception cref="MedSegException">Shape or spacing is malformed.</exception>
    public static VoxelGrid Create(ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing)
    {
        if (shape.Length is not (2 or 3))
        {
            throw new MedSegException($"Mask shape must have 2 (H,W) or 3 (D,H,W) entries, got {shape.Length}.");
        }
        if (spacing.Length != shape.Length)
        {
            throw new MedSegException(
                $"Spacing must have one entry per axis of the shape ({shape.Length}), got {spacing.Length}.");
        }
        long count = 1;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            if (shape[axis] <= 0)
            {
                throw new MedSegException($"Mask shape must be positive on every axis, got {shape[axis]} on axis {axis}.");
            }
            if (!double.IsFinite(spacing[axis]) || spacing[axis] <= 0)
            {
                throw new MedSegException(
                    $"Spacing must be a positive finite length on every axis, got {spacing[axis]} on axis {axis}.");
            }
            count *= shape[axis];
        }
        if (count > Array.MaxLength)
        {
            throw new MedSegException($"Mask of {count} voxels is larger than MedSeg's limit of {Array.MaxLength}.");
        }
        return shape.Length == 3
            ? new VoxelGrid(shape[0], shape[1], shape[2], spacing[0], spacing[1], spacing[2], Planar: false)
            : new VoxelGrid(1, shape[0], shape[1], 1, spacing[0], spacing[1], Planar: true);
    }

    /// <summary>
    /// The grid the UW-Madison metric measures in: each voxel index divided by the volume's extent along that
    /// axis, so the volume spans the unit cube (spacing 1/D, 1/H, 1/W).
    /// </summary>
    public static VoxelGrid UnitCube(int depth, int height, int width) =>
        new(depth, height, width, 1.0 / depth, 1.0 / height, 1.0 / width, Planar: false);

    /// <summary>A grid with this spacing and connectivity but the extent of <paramref name="box"/>.</summary>
    public VoxelGrid Crop(BoundingBox box) => this with
    {
        Depth = box.DepthEnd - box.DepthStart,
        Height = box.HeightEnd - box.HeightStart,
        Width = box.WidthEnd - box.WidthStart,
    };

    /// <summary>Throws when a mask's length does not match the grid.</summary>
    /// <exception cref="MedSegException">Length differs from <see cref="Count"/>.</exception>
    public void RequireLength(int length, string what)
    {
        if (length != Count)
        {
            string shape = Planar ? $"{Height}×{Width}" : $"{Depth}×{Height}×{Width}";
            throw new MedSegException($"The {what} has {length} voxels but its shape {shape} needs {Count}.");
        }
    }
}
