using System.Buffers;
using System.Numerics;

namespace MedSeg.Core.Metrics;

/// <summary>
/// The point sets (surface or all foreground voxels) of two masks, cropped to the bounding box of both masks
/// together, and the distances between them. Cropping is exact: every point lies inside the box, so the
/// distance transform of one set is the same inside the box as in the full volume. Buffers come from the
/// shared array pool and go back on <see cref="Dispose"/>.
/// </summary>
internal sealed class PointSetPair : IDisposable
{
    private readonly byte[] _first;
    private readonly byte[] _second;
    private readonly int _firstCount;
    private readonly int _secondCount;
    private readonly VoxelGrid _crop;
    private readonly int _searchVisitsPerVoxel;

    private PointSetPair(byte[] first, int firstCount, byte[] second, int secondCount, VoxelGrid crop, PointSet points)
    {
        // Searching around each point pays off for thin point sets only: measured on organ-like masks, surfaces
        // ran fastest with a budget of about 8 visits per plane voxel; foreground sets, whose points far from the
        // other mask are many once the points inside it are set aside, ran fastest (about 20 % less time than
        // with 2) going straight to the height pass.
        _searchVisitsPerVoxel = points == PointSet.Surface ? 8 : 0;
        _first = first;
        _firstCount = firstCount;
        _second = second;
        _secondCount = secondCount;
        _crop = crop;
    }

    /// <summary>
    /// Extracts the point sets of <paramref name="first"/> and <paramref name="second"/> (both laid out as
    /// <paramref name="grid"/>) inside <paramref name="box"/>, which must hold every nonzero voxel of both.
    /// </summary>
    public static PointSetPair Create(
        ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, VoxelGrid grid, BoundingBox box, PointSet points)
    {
        VoxelGrid crop = grid.Crop(box);
        byte[] firstPoints = ArrayPool<byte>.Shared.Rent(crop.Count);
        byte[] secondPoints = ArrayPool<byte>.Shared.Rent(crop.Count);
        int firstCount = Extract(first, grid, box, points, firstPoints);
        int secondCount = Extract(second, grid, box, points, secondPoints);
        return new PointSetPair(firstPoints, firstCount, secondPoints, secondCount, crop, points);
    }

    /// <summary>Distances from each point of the first set to the nearest point of the second.</summary>
    public DirectedDistances FirstToSecond(double percentile, int maxDegreeOfParallelism) =>
        Measure(_first, _firstCount, _second, percentile, maxDegreeOfParallelism);

    /// <summary>Distances from each point of the second set to the nearest point of the first.</summary>
    public DirectedDistances SecondToFirst(double percentile, int maxDegreeOfParallelism) =>
        Measure(_second, _secondCount, _first, percentile, maxDegreeOfParallelism);

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_first);
        ArrayPool<byte>.Shared.Return(_second);
    }

    // Points of `from` that are also points of `to` are at distance 0 and are only counted; the distance
    // transform of `to` is sampled at the others. Zeros add nothing to the maximum or the sum and come first in
    // the percentile's order, so the figures are those of all points.
    private DirectedDistances Measure(byte[] from, int fromCount, byte[] to, double percentile, int maxDegreeOfParallelism)
    {
        byte[] apart = ArrayPool<byte>.Shared.Rent(_crop.Count);
        int[] steps = ArrayPool<int>.Shared.Rent(_crop.Count);
        try
        {
            int apartCount = Difference(from.AsSpan(0, _crop.Count), to.AsSpan(0, _crop.Count), apart.AsSpan(0, _crop.Count));
            double[] squares = ArrayPool<double>.Shared.Rent(Math.Max(1, apartCount));
            try
            {
                int n = apartCount == 0 ? 0 : EuclideanDistanceTransform.AtPoints(
                    to.AsSpan(0, _crop.Count), apart, _crop, steps, squares, _searchVisitsPerVoxel, maxDegreeOfParallelism);
                double maximum = 0, sum = 0;
                foreach (double square in squares.AsSpan(0, n))
                {
                    maximum = Math.Max(maximum, square);
                    sum += Math.Sqrt(square);
                }
                double atPercentile = Percentile.OfSquareRoots(squares.AsSpan(0, n), fromCount - n, percentile);
                return new DirectedDistances(fromCount, Math.Sqrt(maximum), atPercentile, sum);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(squares);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(apart);
            ArrayPool<int>.Shared.Return(steps);
        }
    }

    // difference = 1 where `from` is 1 and `to` is 0 (both 0/1), else 0; returns the number of ones.
    private static int Difference(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, Span<byte> difference)
    {
        int i = 0;
        for (; i <= from.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            Vector.AndNot(new Vector<byte>(from[i..]), new Vector<byte>(to[i..])).CopyTo(difference[i..]);
        }
        for (; i < from.Length; i++)
        {
            difference[i] = (byte)(from[i] & ~to[i]);
        }
        return from.Length - difference.Count((byte)0);
    }

    // Writes 1 for each point of the set inside the box (crop layout), 0 elsewhere; returns the point count.
    // A surface voxel is a foreground voxel with a background or out-of-volume neighbour along some axis. Every
    // nonzero voxel lies in the box, so voxels outside it are background and the box edges act as volume edges.
    private static int Extract(ReadOnlySpan<byte> mask, VoxelGrid grid, BoundingBox box, PointSet points, byte[] output)
    {
        VoxelGrid crop = grid.Crop(box);
        int width = crop.Width, count = 0;
        for (int d = 0; d < crop.Depth; d++)
        {
            bool depthEdge = !grid.Planar && (d == 0 || d == crop.Depth - 1);
            for (int h = 0; h < crop.Height; h++)
            {
                int source = ((d + box.DepthStart) * grid.Height + h + box.HeightStart) * grid.Width + box.WidthStart;
                Span<byte> target = output.AsSpan((d * crop.Height + h) * width, width);
                if (points == PointSet.Foreground || depthEdge || h == 0 || h == crop.Height - 1)
                {
                    Binarise(mask.Slice(source, width), target);
                }
                else
                {
                    SurfaceRow(mask, source, width, grid.Width, grid.Planar ? 0 : grid.PlaneSize, target);
                }
                count += width - target.Count((byte)0);
            }
        }
        return count;
    }

    // target = 1 where row is nonzero, else 0.
    private static void Binarise(ReadOnlySpan<byte> row, Span<byte> target)
    {
        int i = 0;
        for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            Vector.Min(new Vector<byte>(row[i..]), Vector<byte>.One).CopyTo(target[i..]);
        }
        for (; i < row.Length; i++)
        {
            target[i] = row[i] != 0 ? (byte)1 : (byte)0;
        }
    }

    // Surface of one row that has rows above and below it (and planes before and after unless `planeStride` is
    // 0, a 2-D grid): 1 where the voxel is nonzero and some axis neighbour is zero. The row's first and last voxels
    // touch the box edge, so they are surface whenever they are foreground.
    private static void SurfaceRow(ReadOnlySpan<byte> mask, int source, int width, int rowStride, int planeStride, Span<byte> target)
    {
        ReadOnlySpan<byte> row = mask.Slice(source, width);
        ReadOnlySpan<byte> above = mask.Slice(source - rowStride, width), below = mask.Slice(source + rowStride, width);
        ReadOnlySpan<byte> before = planeStride == 0 ? row : mask.Slice(source - planeStride, width);
        ReadOnlySpan<byte> after = planeStride == 0 ? row : mask.Slice(source + planeStride, width);
        target[0] = row[0] != 0 ? (byte)1 : (byte)0;
        target[width - 1] = row[width - 1] != 0 ? (byte)1 : (byte)0;
        int i = 1;
        for (; i <= width - 1 - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            Vector<byte> interior = Set(row[(i - 1)..]) & Set(row[(i + 1)..]) & Set(above[i..]) & Set(below[i..])
                & Set(before[i..]) & Set(after[i..]);
            (Set(row[i..]) & ~interior & Vector<byte>.One).CopyTo(target[i..]);
        }
        for (; i < width - 1; i++)
        {
            bool interior = row[i - 1] != 0 && row[i + 1] != 0 && above[i] != 0 && below[i] != 0 && before[i] != 0 && after[i] != 0;
            target[i] = row[i] != 0 && !interior ? (byte)1 : (byte)0;
        }
    }

    // All ones where the value is nonzero.
    private static Vector<byte> Set(ReadOnlySpan<byte> values) => ~Vector.Equals(new Vector<byte>(values), Vector<byte>.Zero);
}
