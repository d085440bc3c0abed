namespace MedSeg.Core.Volumes;

/// <summary>
/// Resamples volumes onto another voxel grid in world space: trilinear for images, nearest neighbour for label
/// maps. A target voxel whose centre maps within half a voxel outside the source takes the nearest edge value (as
/// if the edge voxel extended to its outer face); further out it is 0 (background).
/// </summary>
public static class Resampler
{
    /// <summary>
    /// The grid with spacing <paramref name="spacing"/> (mm) that covers the same extent as <paramref name="source"/>:
    /// n′ = max(1, round(n·s/s′)) voxels per axis, centred on the source grid (same centre, same axis directions).
    /// </summary>
    public static VolumeGeometry GridForSpacing(VolumeGeometry source, VoxelSpacing spacing)
    {
        ArgumentNullException.ThrowIfNull(source);
        var from = source.Spacing;
        var shape = new int[3];
        var rows = new double[12];
        for (int axis = 0; axis < 3; axis++)
        {
            double target = spacing[axis];
            if (!(target > 0) || !double.IsFinite(target))
            {
                throw new ArgumentOutOfRangeException(nameof(spacing), spacing, "Every target spacing must be a positive number of mm.");
            }
            int n = source.Shape[axis];
            shape[axis] = Math.Max(1, (int)Math.Round(n * from[axis] / target, MidpointRounding.AwayFromZero));
            // Target voxel k sits at source index centre + (k − (n′ − 1)/2)·s′/s.
            double ratio = target / from[axis];
            rows[axis * 4 + axis] = ratio;
            rows[axis * 4 + 3] = (n - 1) / 2.0 - (shape[axis] - 1) / 2.0 * ratio;
        }
        var indexMap = Affine.FromRows(rows);
        return new VolumeGeometry(new VolumeShape(shape[0], shape[1], shape[2]), source.Affine.Multiply(indexMap));
    }

    /// <summary>An image resampled trilinearly to <paramref name="spacing"/> (mm) over the same extent; see <see cref="GridForSpacing"/>.</summary>
    public static Volume<float> ToSpacing(Volume<float> image, VoxelSpacing spacing)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ToGrid(image, GridForSpacing(image.Geometry, spacing));
    }

    /// <summary>A label map resampled by nearest neighbour to <paramref name="spacing"/> (mm): its label set can only shrink.</summary>
    public static Volume<T> ToSpacingNearest<T>(Volume<T> labels, VoxelSpacing spacing) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(labels);
        return ToGridNearest(labels, GridForSpacing(labels.Geometry, spacing));
    }

    /// <summary>An image resampled trilinearly onto <paramref name="target"/> (any shape and affine), channel by channel.</summary>
    public static Volume<float> ToGrid(Volume<float> image, VolumeGeometry target)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(target);
        var result = new Volume<float>(target, image.Channels);
        var map = image.Affine.Inverse().Multiply(target.Affine);
        for (int c = 0; c < image.Channels; c++)
        {
            float[] source = image.Voxels;
            int offset = c * (int)image.Shape.VoxelCount;
            var output = result.Voxels;
            int outputOffset = c * (int)target.Shape.VoxelCount;
            var shape = image.Shape;
            ForEachRow(target.Shape, map, (row, p, step) =>
            {
                for (int x = 0; x < row.Length; x++)
                {
                    output[outputOffset + row.Start + x] = Trilinear(source, offset, shape, p.X + x * step.X, p.Y + x * step.Y, p.Z + x * step.Z);
                }
            });
        }
        return result;
    }

    /// <summary>A volume resampled by nearest neighbour onto <paramref name="target"/> (any shape and affine), channel by channel.</summary>
    public static Volume<T> ToGridNearest<T>(Volume<T> volume, VolumeGeometry target) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(target);
        var result = new Volume<T>(target, volume.Channels);
        var map = volume.Affine.Inverse().Multiply(target.Affine);
        var shape = volume.Shape;
        for (int c = 0; c < volume.Channels; c++)
        {
            T[] source = volume.Voxels;
            int offset = c * (int)shape.VoxelCount;
            var output = result.Voxels;
            int outputOffset = c * (int)target.Shape.VoxelCount;
            ForEachRow(target.Shape, map, (row, p, step) =>
            {
                for (int x = 0; x < row.Length; x++)
                {
                    int i = Nearest(p.X + x * step.X, shape.X), j = Nearest(p.Y + x * step.Y, shape.Y), k = Nearest(p.Z + x * step.Z, shape.Z);
                    output[outputOffset + row.Start + x] = i < 0 || j < 0 || k < 0 ? default : source[offset + i + shape.X * (j + shape.Y * k)];
                }
            });
        }
        return result;
    }

    private readonly record struct Row(int Start, int Length);

    private readonly record struct Point(double X, double Y, double Z);

    /// <summary>Calls <paramref name="body"/> for every x-row of the target grid (rows of a slice in parallel) with the source index of its first voxel and the step per voxel.</summary>
    private static void ForEachRow(VolumeShape target, Affine map, Action<Row, Point, Point> body)
    {
        var step = new Point(map[0, 0], map[1, 0], map[2, 0]);
        Parallel.For(0, target.Z, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, z =>
        {
            for (int y = 0; y < target.Y; y++)
            {
                var (px, py, pz) = map.Apply(0, y, z);
                body(new Row(target.X * (y + target.Y * z), target.X), new Point(px, py, pz), step);
            }
        });
    }

    /// <summary>The index nearest to <paramref name="u"/> on an axis of <paramref name="n"/> voxels, or −1 beyond half a voxel outside.</summary>
    private static int Nearest(double u, int n)
    {
        if (!(u >= -0.5 && u <= n - 0.5))
        {
            return -1;
        }
        return Math.Clamp((int)Math.Floor(u + 0.5), 0, n - 1);
    }

    private static float Trilinear(float[] source, int offset, VolumeShape shape, double u, double v, double w)
    {
        if (!Corner(u, shape.X, out int i0, out int i1, out double fx)
            || !Corner(v, shape.Y, out int j0, out int j1, out double fy)
            || !Corner(w, shape.Z, out int k0, out int k1, out double fz))
        {
            return 0;
        }
        int sx = shape.X;
        long sxy = (long)shape.X * shape.Y;
        int Index(int i, int j, int k) => offset + (int)(i + sx * j + sxy * k);
        double c00 = source[Index(i0, j0, k0)] + fx * (source[Index(i1, j0, k0)] - source[Index(i0, j0, k0)]);
        double c10 = source[Index(i0, j1, k0)] + fx * (source[Index(i1, j1, k0)] - source[Index(i0, j1, k0)]);
        double c01 = source[Index(i0, j0, k1)] + fx * (source[Index(i1, j0, k1)] - source[Index(i0, j0, k1)]);
        double c11 = source[Index(i0, j1, k1)] + fx * (source[Index(i1, j1, k1)] - source[Index(i0, j1, k1)]);
        double c0 = c00 + fy * (c10 - c00);
        double c1 = c01 + fy * (c11 - c01);
        return (float)(c0 + fz * (c1 - c0));
    }

    /// <summary>The two neighbouring indices of <paramref name="u"/> and the weight of the upper one; false beyond half a voxel outside.</summary>
    private static bool Corner(double u, int n, out int lower, out int upper, out double weight)
    {
        if (!(u >= -0.5 && u <= n - 0.5))
        {
            lower = upper = 0;
            weight = 0;
            return false;
        }
        double clamped = Math.Clamp(u, 0, n - 1);
        lower = Math.Min((int)clamped, n - 1);
        upper = Math.Min(lower + 1, n - 1);
        weight = clamped - lower;
        return true;
    }
}
