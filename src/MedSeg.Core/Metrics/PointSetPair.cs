using System.Buffers;

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

    private PointSetPair(byte[] first, int firstCount, byte[] second, int secondCount, VoxelGrid crop)
    {
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
        return new PointSetPair(firstPoints, firstCount, secondPoints, secondCount, crop);
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

    private DirectedDistances Measure(byte[] from, int fromCount, byte[] to, double percentile, int maxDegreeOfParallelism)
    {
        int count = _crop.Count;
        double[] field = ArrayPool<double>.Shared.Rent(count);
        double[] squares = ArrayPool<double>.Shared.Rent(fromCount);
        try
        {
            EuclideanDistanceTransform.Compute(to.AsSpan(0, count), _crop, field, maxDegreeOfParallelism);
            ReadOnlySpan<byte> points = from.AsSpan(0, count);
            int n = 0;
            double maximum = 0, sum = 0;
            for (int i = 0; i < points.Length; i++)
            {
                if (points[i] != 0)
                {
                    double square = field[i];
                    squares[n++] = square;
                    maximum = Math.Max(maximum, square);
                    sum += Math.Sqrt(square);
                }
            }
            double atPercentile = Percentile.OfSquareRoots(squares.AsSpan(0, n), percentile);
            return new DirectedDistances(n, Math.Sqrt(maximum), atPercentile, sum);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(field);
            ArrayPool<double>.Shared.Return(squares);
        }
    }

    // Writes 1 for each point of the set inside the box (crop layout), 0 elsewhere; returns the point count.
    // A surface voxel is a foreground voxel with a background or out-of-volume neighbour along some axis;
    // voxels outside the box are background, so the box edges act as the volume edges.
    private static int Extract(ReadOnlySpan<byte> mask, VoxelGrid grid, BoundingBox box, PointSet points, byte[] output)
    {
        VoxelGrid crop = grid.Crop(box);
        int plane = grid.PlaneSize, row = grid.Width;
        bool checkDepth = !grid.Planar;
        int count = 0, o = 0;
        for (int d = 0; d < crop.Depth; d++)
        {
            bool depthInside = d > 0 && d < crop.Depth - 1;
            for (int h = 0; h < crop.Height; h++)
            {
                bool heightInside = h > 0 && h < crop.Height - 1;
                int source = ((d + box.DepthStart) * grid.Height + h + box.HeightStart) * row + box.WidthStart;
                for (int w = 0; w < crop.Width; w++, o++)
                {
                    int i = source + w;
                    bool point = mask[i] != 0;
                    if (point && points == PointSet.Surface)
                    {
                        bool interior = w > 0 && w < crop.Width - 1 && mask[i - 1] != 0 && mask[i + 1] != 0
                            && heightInside && mask[i - row] != 0 && mask[i + row] != 0
                            && (!checkDepth || (depthInside && mask[i - plane] != 0 && mask[i + plane] != 0));
                        point = !interior;
                    }
                    output[o] = point ? (byte)1 : (byte)0;
                    count += point ? 1 : 0;
                }
            }
        }
        return count;
    }
}
