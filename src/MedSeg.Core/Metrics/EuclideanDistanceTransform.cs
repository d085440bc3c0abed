using System.Buffers;

namespace MedSeg.Core.Metrics;

/// <summary>
/// Exact squared Euclidean distance transform of binary masks in 2-D and 3-D with anisotropic spacing, in
/// linear time: one pass along depth finds the nearest foreground voxel on each depth line, then one pass
/// per remaining axis takes the lower envelope of parabolas (Felzenszwalb &amp; Huttenlocher, 2012).
/// </summary>
/// <remarks>
/// Lines of a pass are independent and may run on several threads; every output value is computed by the
/// same arithmetic whatever the thread count, so results are identical for any degree of parallelism.
/// </remarks>
public static class EuclideanDistanceTransform
{
    // Height lines are processed this many at a time, so each read of the volume uses a whole cache line
    // (8 doubles) instead of one value; width lines (contiguous) are handed out this many rows per work item.
    private const int LinesPerBlock = 8;

    /// <summary>
    /// For every voxel, the squared distance to the nearest nonzero voxel of <paramref name="mask"/>, in
    /// squared spacing units (mm² for spacing in mm): 0 on foreground, +infinity everywhere when the mask
    /// is empty.
    /// </summary>
    /// <param name="mask">Binary mask, row-major with the last axis fastest; nonzero = foreground.</param>
    /// <param name="shape">(H,W) or (D,H,W).</param>
    /// <param name="spacing">Voxel size along each axis of <paramref name="shape"/>, same order (mm).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 (default) lets the thread pool decide.</param>
    /// <returns>Squared distances, same layout as <paramref name="mask"/>.</returns>
    /// <exception cref="MedSegException">Shape, spacing and mask do not agree.</exception>
    public static double[] SquaredDistanceToForeground(
        ReadOnlySpan<byte> mask, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, int maxDegreeOfParallelism = -1)
    {
        VoxelGrid grid = VoxelGrid.Create(shape, spacing);
        grid.RequireLength(mask.Length, "mask");
        var result = new double[grid.Count];
        Compute(mask, grid, result, maxDegreeOfParallelism);
        return result;
    }

    /// <summary>
    /// Writes the squared distance transform of <paramref name="mask"/> (laid out as <paramref name="grid"/>)
    /// into the first <see cref="VoxelGrid.Count"/> values of <paramref name="output"/>.
    /// </summary>
    internal static void Compute(ReadOnlySpan<byte> mask, VoxelGrid grid, double[] output, int maxDegreeOfParallelism)
    {
        NearestAlongDepth(mask, grid, output);
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        int height = grid.Height, width = grid.Width;
        if (height > 1)
        {
            int blocks = (width + LinesPerBlock - 1) / LinesPerBlock;
            double spacing = grid.HeightSpacing;
            Parallel.For(0, grid.Depth * blocks, options, () => new EnvelopeScratch(height, LinesPerBlock),
                (item, _, scratch) =>
                {
                    int d = item / blocks;
                    int first = (item - d * blocks) * LinesPerBlock;
                    HeightLines(output, d * height * width + first, height, width, Math.Min(LinesPerBlock, width - first), spacing, scratch);
                    return scratch;
                },
                scratch => scratch.Dispose());
        }
        if (width > 1)
        {
            int rows = grid.Depth * height;
            double spacing = grid.WidthSpacing;
            Parallel.For(0, (rows + LinesPerBlock - 1) / LinesPerBlock, options, () => new EnvelopeScratch(width, 0),
                (item, _, scratch) =>
                {
                    int last = Math.Min(rows, (item + 1) * LinesPerBlock);
                    for (int row = item * LinesPerBlock; row < last; row++)
                    {
                        LowerEnvelope(output.AsSpan(row * width, width), spacing, scratch);
                    }
                    return scratch;
                },
                scratch => scratch.Dispose());
        }
    }

    // Squared distance to the nearest foreground voxel on the same depth line, whole planes at a time so
    // memory is read in order: a forward sweep counts steps from the last foreground plane above, a backward
    // sweep keeps the smaller count from below and converts it to squared length.
    private static void NearestAlongDepth(ReadOnlySpan<byte> mask, VoxelGrid grid, double[] output)
    {
        int plane = grid.PlaneSize;
        Span<double> values = output.AsSpan(0, grid.Count);
        for (int d = 0; d < grid.Depth; d++)
        {
            ReadOnlySpan<byte> maskPlane = mask.Slice(d * plane, plane);
            Span<double> current = values.Slice(d * plane, plane);
            if (d == 0)
            {
                for (int i = 0; i < current.Length; i++)
                {
                    current[i] = maskPlane[i] != 0 ? 0 : double.PositiveInfinity;
                }
                continue;
            }
            ReadOnlySpan<double> above = values.Slice((d - 1) * plane, plane);
            for (int i = 0; i < current.Length; i++)
            {
                current[i] = maskPlane[i] != 0 ? 0 : above[i] + 1;
            }
        }
        double[] belowRented = ArrayPool<double>.Shared.Rent(plane);
        try
        {
            Span<double> below = belowRented.AsSpan(0, plane);
            below.Fill(double.PositiveInfinity);
            double spacing = grid.DepthSpacing;
            for (int d = grid.Depth - 1; d >= 0; d--)
            {
                Span<double> current = values.Slice(d * plane, plane);
                for (int i = 0; i < current.Length; i++)
                {
                    double steps = Math.Min(current[i], below[i] + 1);
                    below[i] = steps;
                    double length = steps * spacing;
                    current[i] = length * length;
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(belowRented);
        }
    }

    // The `lines` adjacent height lines starting at `start` (consecutive voxels `width` apart): gathered into
    // contiguous scratch lines, transformed, and scattered back.
    private static void HeightLines(double[] values, int start, int height, int width, int lines, double spacing, EnvelopeScratch scratch)
    {
        Span<double> gathered = scratch.Lines.AsSpan(0, lines * height);
        for (int j = 0; j < height; j++)
        {
            ReadOnlySpan<double> source = values.AsSpan(start + j * width, lines);
            for (int b = 0; b < source.Length; b++)
            {
                gathered[b * height + j] = source[b];
            }
        }
        for (int b = 0; b < lines; b++)
        {
            LowerEnvelope(gathered.Slice(b * height, height), spacing, scratch);
        }
        for (int j = 0; j < height; j++)
        {
            Span<double> target = values.AsSpan(start + j * width, lines);
            for (int b = 0; b < target.Length; b++)
            {
                target[b] = gathered[b * height + j];
            }
        }
    }

    // In place: line[p] = min over q of ((p − q)·spacing)² + line[q]. Infinite values (no foreground reachable
    // yet) are left out of the envelope; a line without finite values stays infinite.
    private static void LowerEnvelope(Span<double> line, double spacing, EnvelopeScratch scratch)
    {
        Span<int> vertices = scratch.Vertices.AsSpan(0, line.Length);
        Span<double> positions = scratch.Positions.AsSpan(0, line.Length);
        Span<double> offsets = scratch.Offsets.AsSpan(0, line.Length);
        Span<double> heights = scratch.Heights.AsSpan(0, line.Length);
        Span<double> boundaries = scratch.Boundaries.AsSpan(0, line.Length + 1);
        int k = -1;
        for (int q = 0; q < line.Length; q++)
        {
            double fq = line[q];
            if (fq == double.PositiveInfinity)
            {
                continue;
            }
            double xq = q * spacing;
            double heightQ = fq + xq * xq;
            // Pop the vertices whose parabola lies above q's everywhere right of their start; q's parabola
            // starts where it crosses the last remaining one (compared multiplied out, divided only once).
            while (k > 0 && heightQ - heights[k] <= boundaries[k] * 2 * (xq - positions[k]))
            {
                k--;
            }
            k++;
            vertices[k] = q;
            positions[k] = xq;
            offsets[k] = fq;
            heights[k] = heightQ;
            boundaries[k] = k == 0 ? double.NegativeInfinity : (heightQ - heights[k - 1]) / (2 * (xq - positions[k - 1]));
        }
        if (k < 0)
        {
            return;
        }
        boundaries[k + 1] = double.PositiveInfinity;
        k = 0;
        for (int p = 0; p < line.Length; p++)
        {
            double xp = p * spacing;
            while (boundaries[k + 1] < xp)
            {
                k++;
            }
            double dx = (p - vertices[k]) * spacing;
            line[p] = dx * dx + offsets[k];
        }
    }
}
