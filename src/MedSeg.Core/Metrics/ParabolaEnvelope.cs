using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MedSeg.Core.Metrics;

/// <summary>
/// The lower envelope of the parabolas <c>((x − q)·spacing)² + line[q]</c> of one line of a distance transform
/// (Felzenszwalb &amp; Huttenlocher, 2012), and per-thread working memory for it rented from the shared array
/// pool: the envelope's vertices and a block of gathered lines.
/// </summary>
/// <remarks>
/// Building compares intersections multiplied out, so the loop has no division on its critical path; reading
/// walks the vertices and compares parabola values directly. Each output is <c>((p − q)·spacing)² + line[q]</c>
/// for the envelope vertex q at p, the same arithmetic whatever the thread or the order of the lines.
/// </remarks>
internal sealed class ParabolaEnvelope : IDisposable
{
    private readonly int[] _vertices;
    private readonly double[] _positions;
    private readonly double[] _offsets;
    private readonly double[] _heights;
    private double _spacing;
    private int _last = -1;

    /// <summary>Rents room for lines of up to <paramref name="length"/> values and a block of <paramref name="lines"/> of them.</summary>
    public ParabolaEnvelope(int length, int lines)
    {
        Lines = ArrayPool<double>.Shared.Rent(Math.Max(1, length * lines));
        _vertices = ArrayPool<int>.Shared.Rent(length);
        _positions = ArrayPool<double>.Shared.Rent(length);
        _offsets = ArrayPool<double>.Shared.Rent(length);
        _heights = ArrayPool<double>.Shared.Rent(length);
    }

    /// <summary>Gathered lines, line after line (for passes whose lines are not contiguous in memory).</summary>
    public double[] Lines { get; }

    /// <summary>
    /// Builds the envelope of <paramref name="line"/>; infinite values (no foreground reachable) are left out.
    /// Returns false when the line has no finite value, in which case every output stays infinite.
    /// </summary>
    public bool Build(ReadOnlySpan<double> line, double spacing)
    {
        ref double values = ref MemoryMarshal.GetReference(line);
        ref int vertices = ref MemoryMarshal.GetArrayDataReference(_vertices);
        ref double positions = ref MemoryMarshal.GetArrayDataReference(_positions);
        ref double offsets = ref MemoryMarshal.GetArrayDataReference(_offsets);
        ref double heights = ref MemoryMarshal.GetArrayDataReference(_heights);
        int k = -1;
        for (int q = 0; q < line.Length; q++)
        {
            double fq = Unsafe.Add(ref values, q);
            if (fq == double.PositiveInfinity)
            {
                continue;
            }
            double xq = q * spacing;
            double heightQ = fq + xq * xq;
            // Pop vertex k while q's parabola crosses it at or before the point where k's own parabola starts
            // to be lowest: (hq − hk)/(xq − xk) ≤ (hk − hj)/(xk − xj) with j = k − 1, multiplied out.
            while (k > 0)
            {
                double xk = Unsafe.Add(ref positions, k), heightK = Unsafe.Add(ref heights, k);
                double xj = Unsafe.Add(ref positions, k - 1);
                if ((heightQ - heightK) * (xk - xj) > (heightK - Unsafe.Add(ref heights, k - 1)) * (xq - xk))
                {
                    break;
                }
                k--;
            }
            k++;
            Unsafe.Add(ref vertices, k) = q;
            Unsafe.Add(ref positions, k) = xq;
            Unsafe.Add(ref offsets, k) = fq;
            Unsafe.Add(ref heights, k) = heightQ;
        }
        _spacing = spacing;
        _last = k;
        return k >= 0;
    }

    /// <summary>Writes the envelope's value at every position of <paramref name="line"/> (after <see cref="Build"/>).</summary>
    public void Fill(Span<double> line)
    {
        if (_last < 0)
        {
            line.Fill(double.PositiveInfinity);
            return;
        }
        var walk = new Walk(this);
        for (int p = 0; p < line.Length; p++)
        {
            line[p] = walk.At(p);
        }
    }

    /// <summary>
    /// Writes the envelope's value at each position where <paramref name="points"/> is nonzero, in order, into
    /// <paramref name="output"/> (after <see cref="Build"/>); returns the number written.
    /// </summary>
    public int Sample(ReadOnlySpan<byte> points, Span<double> output)
    {
        var walk = new Walk(this);
        int n = 0;
        for (int p = points.IndexOfAnyExcept((byte)0); p >= 0 && p < points.Length; p++)
        {
            if (points[p] != 0)
            {
                output[n++] = _last < 0 ? double.PositiveInfinity : walk.At(p);
            }
        }
        return n;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<double>.Shared.Return(Lines);
        ArrayPool<int>.Shared.Return(_vertices);
        ArrayPool<double>.Shared.Return(_positions);
        ArrayPool<double>.Shared.Return(_offsets);
        ArrayPool<double>.Shared.Return(_heights);
    }

    // A left-to-right reader of the envelope: positions must be asked for in increasing order.
    private ref struct Walk(ParabolaEnvelope envelope)
    {
        private int _k;

        public double At(int p)
        {
            ref int vertices = ref MemoryMarshal.GetArrayDataReference(envelope._vertices);
            ref double offsets = ref MemoryMarshal.GetArrayDataReference(envelope._offsets);
            double spacing = envelope._spacing;
            double dx = (p - Unsafe.Add(ref vertices, _k)) * spacing;
            double value = dx * dx + Unsafe.Add(ref offsets, _k);
            // Starts of consecutive envelope parabolas increase, so the next one is lower exactly when p has
            // passed its start.
            while (_k < envelope._last)
            {
                double nextDx = (p - Unsafe.Add(ref vertices, _k + 1)) * spacing;
                double next = nextDx * nextDx + Unsafe.Add(ref offsets, _k + 1);
                if (next > value)
                {
                    break;
                }
                _k++;
                value = next;
            }
            return value;
        }
    }
}
