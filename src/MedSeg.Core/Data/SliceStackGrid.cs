using MedSeg.Core.Volumes;

namespace MedSeg.Core.Data;

/// <summary>
/// The voxel grid of a D×H×W slice stack (row-major, columns fastest) with its spacing, and resampling between two
/// stack grids that cover the same extent (<see cref="Resampler.GridForSpacing"/>): trilinear for images and
/// probabilities, nearest neighbour for label maps. Stacks are resampled in their own frame, so only the spacing matters.
/// </summary>
public sealed class SliceStackGrid
{
    private SliceStackGrid(VolumeGeometry geometry) => Geometry = geometry;

    /// <summary>A stack of <paramref name="depth"/>×<paramref name="height"/>×<paramref name="width"/> voxels with <paramref name="spacing"/>.</summary>
    public SliceStackGrid(int depth, int height, int width, StackSpacing spacing)
        : this(new VolumeGeometry(new VolumeShape(width, height, depth), Affine.Diagonal(spacing.Width, spacing.Height, spacing.Depth)))
    {
    }

    /// <summary>The stack as a volume grid: x = columns, y = rows, z = slices.</summary>
    private VolumeGeometry Geometry { get; }

    public int Depth => Geometry.Shape.Z;

    public int Height => Geometry.Shape.Y;

    public int Width => Geometry.Shape.X;

    public int Voxels => Depth * Height * Width;

    public StackSpacing Spacing => new(Geometry.Spacing.Z, Geometry.Spacing.Y, Geometry.Spacing.X);

    /// <summary>The grid of the same extent with <paramref name="spacing"/>: this grid itself when the spacing already is that.</summary>
    public SliceStackGrid AtSpacing(StackSpacing spacing) =>
        Spacing.Near(spacing) ? this : new SliceStackGrid(Resampler.GridForSpacing(Geometry, new VoxelSpacing(spacing.Width, spacing.Height, spacing.Depth)));

    /// <summary>A stack on this grid resampled trilinearly onto <paramref name="target"/> (the same array when the grids are one).</summary>
    public float[] Resample(float[] stack, SliceStackGrid target) =>
        ReferenceEquals(target, this) ? stack : Resampler.ToGrid(new Volume<float>(Geometry, stack), target.Geometry).Voxels;

    /// <summary>A label stack on this grid resampled by nearest neighbour onto <paramref name="target"/>.</summary>
    public T[] ResampleNearest<T>(T[] stack, SliceStackGrid target) where T : unmanaged =>
        ReferenceEquals(target, this) ? stack : Resampler.ToGridNearest(new Volume<T>(Geometry, stack), target.Geometry).Voxels;
}
