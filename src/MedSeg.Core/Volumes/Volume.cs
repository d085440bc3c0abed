namespace MedSeg.Core.Volumes;

/// <summary>
/// A 3-D image or label map on a voxel grid: <see cref="Channels"/> blocks of X·Y·Z voxels, each in NIfTI order
/// (index = x + X·(y + Y·z), x fastest), sharing one <see cref="Geometry"/>. Images are <c>Volume&lt;float&gt;</c>
/// (intensities as stored, after NIfTI scaling); label maps are <c>Volume&lt;ushort&gt;</c> (0 = background,
/// k = k-th class). The voxel array is shared, not copied.
/// </summary>
public sealed class Volume<T> where T : unmanaged
{
    /// <summary>Wraps <paramref name="voxels"/> (length X·Y·Z·channels) on <paramref name="geometry"/>.</summary>
    public Volume(VolumeGeometry geometry, T[] voxels, int channels = 1)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(voxels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (voxels.LongLength != geometry.Shape.VoxelCount * channels)
        {
            throw new ArgumentException(
                $"The voxel array has {voxels.LongLength} elements but a {geometry.Shape} volume with {channels} channel(s) needs {geometry.Shape.VoxelCount * channels}.",
                nameof(voxels));
        }
        Geometry = geometry;
        Voxels = voxels;
        Channels = channels;
    }

    /// <summary>A zero-filled volume on <paramref name="geometry"/>.</summary>
    public Volume(VolumeGeometry geometry, int channels = 1)
        : this(geometry, new T[CheckedCount(geometry, channels)], channels)
    {
    }

    public VolumeGeometry Geometry { get; }

    /// <summary>All voxels, channel after channel, each channel x-fastest.</summary>
    public T[] Voxels { get; }

    /// <summary>Number of channels (modalities or time points) sharing the grid; 1 for most volumes.</summary>
    public int Channels { get; }

    public VolumeShape Shape => Geometry.Shape;

    public Affine Affine => Geometry.Affine;

    /// <summary>Voxel spacing in mm along X, Y, Z.</summary>
    public VoxelSpacing Spacing => Geometry.Spacing;

    /// <summary>The voxels of channel <paramref name="channel"/> (X·Y·Z, x fastest).</summary>
    public Span<T> Channel(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        int count = (int)Shape.VoxelCount;
        return Voxels.AsSpan(channel * count, count);
    }

    /// <summary>The voxel at (x, y, z) of channel <paramref name="channel"/>.</summary>
    public ref T this[int x, int y, int z, int channel = 0]
    {
        get
        {
            var shape = Shape;
            if ((uint)x >= (uint)shape.X || (uint)y >= (uint)shape.Y || (uint)z >= (uint)shape.Z || (uint)channel >= (uint)Channels)
            {
                throw new IndexOutOfRangeException($"Voxel ({x}, {y}, {z}) channel {channel} is outside the {shape} volume with {Channels} channel(s).");
            }
            return ref Voxels[x + (long)shape.X * (y + (long)shape.Y * (z + (long)shape.Z * channel))];
        }
    }

    /// <summary>A volume with the same voxels on another geometry of the same shape (e.g. a corrected affine).</summary>
    public Volume<T> WithGeometry(VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.Shape != Shape)
        {
            throw new ArgumentException($"The new geometry has shape {geometry.Shape} but the volume is {Shape}.", nameof(geometry));
        }
        return new Volume<T>(geometry, Voxels, Channels);
    }

    private static int CheckedCount(VolumeGeometry geometry, int channels)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        long count = geometry.Shape.VoxelCount * channels;
        if (count > Array.MaxLength)
        {
            throw new ArgumentException($"A {geometry.Shape} volume with {channels} channel(s) has {count} voxels, more than one array can hold ({Array.MaxLength}).");
        }
        return (int)count;
    }
}
