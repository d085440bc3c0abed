using System.Buffers;

namespace MedSeg.Core.Metrics;

/// <summary>
/// Per-thread working memory of one <see cref="EuclideanDistanceTransform"/> pass, rented from the shared
/// array pool: a block of gathered lines and the lower envelope of one line (vertex indices and positions, their values
/// and parabola heights, and the boundaries between consecutive parabolas).
/// </summary>
internal sealed class EnvelopeScratch : IDisposable
{
    /// <summary>Rents room for lines of <paramref name="length"/> values and a block of <paramref name="lines"/> of them.</summary>
    public EnvelopeScratch(int length, int lines)
    {
        Lines = ArrayPool<double>.Shared.Rent(length * lines);
        Vertices = ArrayPool<int>.Shared.Rent(length);
        Positions = ArrayPool<double>.Shared.Rent(length);
        Offsets = ArrayPool<double>.Shared.Rent(length);
        Heights = ArrayPool<double>.Shared.Rent(length);
        Boundaries = ArrayPool<double>.Shared.Rent(length + 1);
    }

    /// <summary>Gathered lines, line after line.</summary>
    public double[] Lines { get; }

    /// <summary>Indices of the envelope's parabola vertices.</summary>
    public int[] Vertices { get; }

    /// <summary>Vertex positions (index × spacing).</summary>
    public double[] Positions { get; }

    /// <summary>Value at each vertex (the parabola's offset).</summary>
    public double[] Offsets { get; }

    /// <summary>Offset plus squared vertex position, used to intersect parabolas.</summary>
    public double[] Heights { get; }

    /// <summary>Where each envelope parabola starts to be the lowest (same units as the spacing).</summary>
    public double[] Boundaries { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<double>.Shared.Return(Lines);
        ArrayPool<int>.Shared.Return(Vertices);
        ArrayPool<double>.Shared.Return(Positions);
        ArrayPool<double>.Shared.Return(Offsets);
        ArrayPool<double>.Shared.Return(Heights);
        ArrayPool<double>.Shared.Return(Boundaries);
    }
}
