using System.Buffers;
using System.Numerics;

namespace MedSeg.Core.Metrics;

/// <summary>
/// Exact squared Euclidean distance transform of binary masks in 2-D and 3-D with anisotropic spacing, in
/// linear time: one pass along depth finds the nearest foreground voxel on each depth line, then one pass
/// per remaining axis takes the lower envelope of parabolas (Felzenszwalb &amp; Huttenlocher, 2012).
/// </summary>
/// <remarks>
/// Lines of a pass are independent and may run on several threads; every output value is computed by the
/// same arithmetic whatever the thread count, so results are identical for any degree of parallelism.
/// When distances are wanted only at some voxels (<see cref="AtPoints"/>), only those are computed.
/// </remarks>
public static class EuclideanDistanceTransform
{
    // Height lines are processed this many at a time, so each read of the volume uses a whole cache line
    // (8 doubles) instead of one value.
    private const int LinesPerBlock = 8;

    // Searches along a row (after the height pass) may visit this many voxels per voxel of the row before the row
    // takes the width pass. A visit costs a fraction of an envelope step, so a search that gives up wastes little.
    private const int RowSearchVisitsPerVoxel = 8;

    // Depth-pass step count of a depth line without foreground.
    private const int Unreached = int.MaxValue;

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
        int height = grid.Height, width = grid.Width, plane = grid.PlaneSize;
        int[] steps = ArrayPool<int>.Shared.Rent(grid.Count);
        try
        {
            StepsAlongDepth(mask, grid, steps.AsSpan(0, grid.Count));
            // After the depth pass every plane is independent of the others.
            ForEachPlane(grid, maxDegreeOfParallelism, (d, envelope, _) =>
            {
                SquaredLengths(steps.AsSpan(d * plane, plane), grid.DepthSpacing, output.AsSpan(d * plane, plane));
                HeightPass(output, d, grid, envelope);
                for (int row = d * height; row < (d + 1) * height; row++)
                {
                    Span<double> line = output.AsSpan(row * width, width);
                    if (envelope.Build(line, grid.WidthSpacing))
                    {
                        envelope.Fill(line);
                    }
                }
            });
        }
        finally
        {
            ArrayPool<int>.Shared.Return(steps);
        }
    }

    /// <summary>
    /// The squared distance (squared spacing units) from each nonzero voxel of <paramref name="points"/> to the
    /// nearest nonzero voxel of <paramref name="mask"/>, both laid out as <paramref name="grid"/>, written in
    /// row-major order of the points into <paramref name="squares"/>; +infinity when the mask is empty.
    /// <paramref name="steps"/> is working memory of at least <see cref="VoxelGrid.Count"/> values.
    /// </summary>
    /// <remarks>
    /// After the depth pass, each point's in-plane minimum is first searched outward from the point, which stops
    /// as soon as no unvisited voxel can be closer (a few visits when the masks are close, as predictions and
    /// truths usually are). A plane whose searches would visit more than <paramref name="planeSearchVisitsPerVoxel"/>
    /// times its voxel count (at once when that is 0) takes the height pass for its remaining rows, then searches along each row; a row
    /// whose searches run long takes the width pass. The work is thus bounded by a small multiple of the full
    /// transform's, and every route adds the same terms in the same order.
    /// </remarks>
    /// <returns>The number of points (values written).</returns>
    internal static int AtPoints(
        ReadOnlySpan<byte> mask, byte[] points, VoxelGrid grid, int[] steps, double[] squares, int planeSearchVisitsPerVoxel,
        int maxDegreeOfParallelism)
    {
        int height = grid.Height, width = grid.Width, rows = grid.Depth * height, plane = grid.PlaneSize;
        int[] rowStarts = ArrayPool<int>.Shared.Rent(rows + 1);
        try
        {
            // rowStarts[r] = points before row r, so each row writes its own part of `squares` on any thread.
            rowStarts[0] = 0;
            for (int row = 0; row < rows; row++)
            {
                rowStarts[row + 1] = rowStarts[row] + width - points.AsSpan(row * width, width).Count((byte)0);
            }
            StepsAlongDepth(mask, grid, steps.AsSpan(0, grid.Count));
            // Each plane's squared depth-pass lengths go into the thread's own plane of doubles (`field`), which
            // the in-plane passes then work on while it sits in cache.
            ForEachPlane(grid, maxDegreeOfParallelism, (d, envelope, field) =>
            {
                if (rowStarts[(d + 1) * height] == rowStarts[d * height])
                {
                    return;
                }
                SquaredLengths(steps.AsSpan(d * plane, plane), grid.DepthSpacing, field.AsSpan(0, plane));
                int fallbackRow = planeSearchVisitsPerVoxel == 0
                    ? d * height
                    : SearchPlane(field.AsSpan(0, plane), points, squares, rowStarts, d, grid, (long)plane * planeSearchVisitsPerVoxel);
                if (fallbackRow < 0)
                {
                    return;
                }
                HeightPass(field, 0, grid, envelope);
                for (int row = fallbackRow; row < (d + 1) * height; row++)
                {
                    int start = rowStarts[row], count = rowStarts[row + 1] - start;
                    Span<double> line = field.AsSpan((row - d * height) * width, width);
                    if (count > 0 && !SearchRow(line, points.AsSpan(row * width, width), squares.AsSpan(start, count), grid.WidthSpacing))
                    {
                        envelope.Build(line, grid.WidthSpacing);
                        envelope.Sample(points.AsSpan(row * width, width), squares.AsSpan(start, count));
                    }
                }
            });
            return rowStarts[rows];
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rowStarts);
        }
    }

    // Local searches for the points of plane d, whose depth-pass values are `values`, row by row; returns -1 when
    // all were found, else the first row left to the envelope passes (the plane's `budget` of visits ran out there).
    private static int SearchPlane(ReadOnlySpan<double> values, byte[] points, double[] squares, int[] rowStarts, int d, VoxelGrid grid, long budget)
    {
        int height = grid.Height, width = grid.Width;
        for (int h = 0; h < height; h++)
        {
            int row = d * height + h, n = rowStarts[row];
            if (rowStarts[row + 1] == n)
            {
                continue;
            }
            ReadOnlySpan<byte> rowPoints = points.AsSpan(row * width, width);
            for (int w = rowPoints.IndexOfAnyExcept((byte)0); w >= 0 && w < width; w++)
            {
                if (rowPoints[w] == 0)
                {
                    continue;
                }
                if (!SearchAround(values, h, w, grid, ref budget, out squares[n++]))
                {
                    return row;
                }
            }
        }
        return -1;
    }

    // The in-plane minimum of ((Δw·sw)² + ((Δh·sh)² + depth-pass value)) over the plane, scanning rows outward
    // from h and each row outward from w while a term could still beat the best so far; false when the scan
    // needed more visits than `budget` had left.
    private static bool SearchAround(ReadOnlySpan<double> plane, int h, int w, VoxelGrid grid, ref long budget, out double best)
    {
        int height = grid.Height, width = grid.Width;
        double rowSpacing = grid.HeightSpacing, columnSpacing = grid.WidthSpacing;
        best = plane[h * width + w];
        for (int dh = 0; best > 0 && (h - dh >= 0 || h + dh < height); dh++)
        {
            double across = dh * rowSpacing;
            double acrossSquared = across * across;
            if (acrossSquared >= best)
            {
                break;
            }
            for (int side = dh == 0 ? 1 : -1; side <= 1; side += 2)
            {
                int r = h + side * dh;
                if (r < 0 || r >= height)
                {
                    continue;
                }
                ReadOnlySpan<double> row = plane.Slice(r * width, width);
                for (int dw = 0; w - dw >= 0 || w + dw < width; dw++)
                {
                    double along = dw * columnSpacing;
                    double alongSquared = along * along;
                    if (alongSquared + acrossSquared >= best)
                    {
                        break;
                    }
                    budget -= 2;
                    if (budget < 0)
                    {
                        return false;
                    }
                    if (w - dw >= 0)
                    {
                        best = Math.Min(best, alongSquared + (acrossSquared + row[w - dw]));
                    }
                    if (dw > 0 && w + dw < width)
                    {
                        best = Math.Min(best, alongSquared + (acrossSquared + row[w + dw]));
                    }
                }
            }
        }
        return true;
    }

    // Steps along depth to the nearest foreground voxel on the same depth line (Unreached when there is none),
    // whole planes at a time so memory is read in order: a forward sweep counts steps from the last foreground
    // plane above, a backward sweep keeps the smaller count from below.
    private static void StepsAlongDepth(ReadOnlySpan<byte> mask, VoxelGrid grid, Span<int> steps)
    {
        int plane = grid.PlaneSize;
        for (int d = 0; d < grid.Depth; d++)
        {
            ReadOnlySpan<byte> maskPlane = mask.Slice(d * plane, plane);
            Span<int> current = steps.Slice(d * plane, plane);
            if (d == 0)
            {
                for (int k = 0; k < current.Length; k++)
                {
                    current[k] = maskPlane[k] != 0 ? 0 : Unreached;
                }
                continue;
            }
            ReadOnlySpan<int> above = steps.Slice((d - 1) * plane, plane);
            int i = 0;
            for (; i <= current.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                // All ones in the lanes of foreground voxels, widened from bytes to ints by sign extension.
                var foreground = Vector.AsVectorSByte(~Vector.Equals(new Vector<byte>(maskPlane[i..]), Vector<byte>.Zero));
                Vector.Widen(foreground, out Vector<short> low, out Vector<short> high);
                Vector.Widen(low, out Vector<int> lane0, out Vector<int> lane1);
                Vector.Widen(high, out Vector<int> lane2, out Vector<int> lane3);
                StepDown(above, current, i, lane0);
                StepDown(above, current, i + Vector<int>.Count, lane1);
                StepDown(above, current, i + 2 * Vector<int>.Count, lane2);
                StepDown(above, current, i + 3 * Vector<int>.Count, lane3);
            }
            for (; i < current.Length; i++)
            {
                current[i] = maskPlane[i] != 0 ? 0 : Next(above[i]);
            }
        }
        int[] belowRented = ArrayPool<int>.Shared.Rent(plane);
        try
        {
            Span<int> below = belowRented.AsSpan(0, plane);
            below.Fill(Unreached);
            for (int d = grid.Depth - 1; d >= 0; d--)
            {
                Span<int> current = steps.Slice(d * plane, plane);
                int i = 0;
                for (; i <= current.Length - Vector<int>.Count; i += Vector<int>.Count)
                {
                    Vector<int> nearest = Vector.Min(new Vector<int>(current[i..]), Next(new Vector<int>(below[i..])));
                    nearest.CopyTo(below[i..]);
                    nearest.CopyTo(current[i..]);
                }
                for (; i < current.Length; i++)
                {
                    int nearest = Math.Min(current[i], Next(below[i]));
                    below[i] = nearest;
                    current[i] = nearest;
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(belowRented);
        }
    }

    // One more step than `steps`, or still unreached.
    private static int Next(int steps) => steps == Unreached ? Unreached : steps + 1;

    // Next for every lane: adding 1 after capping at Unreached − 1 leaves Unreached as it is (no real count gets
    // that large).
    private static Vector<int> Next(Vector<int> steps) => Vector.Min(steps, new Vector<int>(Unreached - 1)) + Vector<int>.One;

    // current = 0 in the lanes of `foreground` (all ones), one step more than `above` elsewhere, from `offset` on.
    private static void StepDown(ReadOnlySpan<int> above, Span<int> current, int offset, Vector<int> foreground) =>
        Vector.AndNot(Next(new Vector<int>(above[offset..])), foreground).CopyTo(current[offset..]);

    // The squared length of each depth-pass step count: (steps · spacing)², +infinity where unreached.
    private static void SquaredLengths(ReadOnlySpan<int> steps, double spacing, Span<double> squares)
    {
        var unreached = new Vector<long>(Unreached);
        var infinity = new Vector<double>(double.PositiveInfinity);
        int i = 0;
        for (; i <= steps.Length - Vector<int>.Count; i += Vector<int>.Count)
        {
            Vector.Widen(new Vector<int>(steps[i..]), out Vector<long> low, out Vector<long> high);
            SquaredLengths(low, spacing, unreached, infinity).CopyTo(squares[i..]);
            SquaredLengths(high, spacing, unreached, infinity).CopyTo(squares[(i + Vector<long>.Count)..]);
        }
        for (; i < steps.Length; i++)
        {
            double length = steps[i] * spacing;
            squares[i] = steps[i] == Unreached ? double.PositiveInfinity : length * length;
        }
    }

    // The same per lane: each count converted exactly to double, times the spacing, squared.
    private static Vector<double> SquaredLengths(Vector<long> steps, double spacing, Vector<long> unreached, Vector<double> infinity)
    {
        Vector<double> length = Vector.ConvertToDouble(steps) * spacing;
        return Vector.ConditionalSelect(Vector.AsVectorDouble(Vector.Equals(steps, unreached)), infinity, length * length);
    }

    // After the height pass: each point's minimum of ((Δw·sw)² + height-pass value) along its row, scanning
    // outward while a term could still beat the best so far; false when the row's points together needed more
    // visits than the row has voxels (the caller then runs the envelope on the row).
    private static bool SearchRow(ReadOnlySpan<double> row, ReadOnlySpan<byte> points, Span<double> output, double spacing)
    {
        int width = row.Length, n = 0;
        long budget = (long)width * RowSearchVisitsPerVoxel;
        for (int w = points.IndexOfAnyExcept((byte)0); w >= 0 && w < width; w++)
        {
            if (points[w] == 0)
            {
                continue;
            }
            double best = row[w];
            for (int dw = 1; best > 0 && (w - dw >= 0 || w + dw < width); dw++)
            {
                double along = dw * spacing;
                double alongSquared = along * along;
                if (alongSquared >= best)
                {
                    break;
                }
                budget -= 2;
                if (budget < 0)
                {
                    return false;
                }
                if (w - dw >= 0)
                {
                    best = Math.Min(best, alongSquared + row[w - dw]);
                }
                if (w + dw < width)
                {
                    best = Math.Min(best, alongSquared + row[w + dw]);
                }
            }
            output[n++] = best;
        }
        return true;
    }

    // The envelope pass along height on plane d: blocks of adjacent height lines (consecutive voxels `width`
    // apart) are gathered into contiguous lines, transformed, and scattered back.
    private static void HeightPass(double[] values, int d, VoxelGrid grid, ParabolaEnvelope envelope)
    {
        int height = grid.Height, width = grid.Width;
        if (height == 1)
        {
            return;
        }
        for (int first = 0; first < width; first += LinesPerBlock)
        {
            int lines = Math.Min(LinesPerBlock, width - first), start = d * height * width + first;
            Span<double> gathered = envelope.Lines.AsSpan(0, lines * height);
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
                Span<double> line = gathered.Slice(b * height, height);
                if (envelope.Build(line, grid.HeightSpacing))
                {
                    envelope.Fill(line);
                }
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
    }

    // Runs `work` on every depth plane, each thread with its own envelope for lines of either in-plane axis and
    // its own plane of doubles.
    private static void ForEachPlane(VoxelGrid grid, int maxDegreeOfParallelism, Action<int, ParabolaEnvelope, double[]> work)
    {
        int length = Math.Max(grid.Height, grid.Width);
        Parallel.For(0, grid.Depth, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => (Envelope: new ParabolaEnvelope(length, LinesPerBlock), Plane: ArrayPool<double>.Shared.Rent(grid.PlaneSize)),
            (d, _, local) =>
            {
                work(d, local.Envelope, local.Plane);
                return local;
            },
            local =>
            {
                local.Envelope.Dispose();
                ArrayPool<double>.Shared.Return(local.Plane);
            });
    }
}
