using MedSeg.Core.Data;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// Smooth 3-D value noise: random values in [-1, 1] on a lattice with <c>cell</c>-pixel spacing, blended with
/// smoothstep weights. Sampled one axial plane at a time (<see cref="Accumulate"/>), so texture is coherent across
/// neighbouring slices, or at single points (<see cref="At"/>), e.g. through a deformation.
/// </summary>
internal sealed class LatticeNoise
{
    private readonly float[] _lattice;
    private readonly float[] _plane;
    private readonly int[] _columnCell;
    private readonly float[] _columnWeight;
    private readonly int _nx, _ny, _nz, _height, _width;
    private readonly float _cell;

    /// <param name="rng">Source of the lattice values.</param>
    /// <param name="height">Image rows.</param>
    /// <param name="width">Image columns.</param>
    /// <param name="depth">Extent along z in pixel units.</param>
    /// <param name="cell">Lattice spacing in pixels (the feature size).</param>
    public LatticeNoise(DeterministicRandom rng, int height, int width, float depth, float cell)
    {
        _height = height;
        _width = width;
        _cell = cell;
        _nx = (int)(width / cell) + 2;
        _ny = (int)(height / cell) + 2;
        _nz = (int)(depth / cell) + 2;
        _lattice = new float[_nx * _ny * _nz];
        for (int i = 0; i < _lattice.Length; i++)
        {
            _lattice[i] = (float)(2 * rng.NextDouble() - 1);
        }
        _plane = new float[_nx * _ny];
        _columnCell = new int[width];
        _columnWeight = new float[width];
        for (int x = 0; x < width; x++)
        {
            float u = x / cell;
            _columnCell[x] = (int)u;
            _columnWeight[x] = Smooth(u - (int)u);
        }
    }

    /// <summary>Adds <paramref name="amplitude"/> × noise at depth <paramref name="z"/> to every pixel of <paramref name="field"/> (H×W).</summary>
    public void Accumulate(Span<float> field, float z, float amplitude)
    {
        float w = Math.Clamp(z / _cell, 0, _nz - 1.001f);
        int k = (int)w;
        float wz = Smooth(w - k);
        ReadOnlySpan<float> lower = _lattice.AsSpan(k * _nx * _ny, _nx * _ny);
        ReadOnlySpan<float> upper = _lattice.AsSpan((k + 1) * _nx * _ny, _nx * _ny);
        for (int i = 0; i < _plane.Length; i++)
        {
            _plane[i] = lower[i] + wz * (upper[i] - lower[i]);
        }
        for (int y = 0; y < _height; y++)
        {
            float v = y / _cell;
            int j = (int)v;
            float wy = Smooth(v - j);
            ReadOnlySpan<float> top = _plane.AsSpan(j * _nx, _nx);
            ReadOnlySpan<float> bottom = _plane.AsSpan((j + 1) * _nx, _nx);
            Span<float> row = field.Slice(y * _width, _width);
            for (int x = 0; x < _width; x++)
            {
                int i = _columnCell[x];
                float wx = _columnWeight[x];
                float a = top[i] + wx * (top[i + 1] - top[i]);
                float b = bottom[i] + wx * (bottom[i + 1] - bottom[i]);
                row[x] += amplitude * (a + wy * (b - a));
            }
        }
    }

    /// <summary>The noise at pixel position (<paramref name="x"/>, <paramref name="y"/>, <paramref name="z"/>); positions outside the extent take the value at its border.</summary>
    public float At(float x, float y, float z)
    {
        float u = Math.Clamp(x / _cell, 0, _nx - 1.001f), v = Math.Clamp(y / _cell, 0, _ny - 1.001f), w = Math.Clamp(z / _cell, 0, _nz - 1.001f);
        int i = (int)u, j = (int)v, k = (int)w;
        float wx = Smooth(u - i), wy = Smooth(v - j), wz = Smooth(w - k);
        float Plane(int kk)
        {
            int row = (kk * _ny + j) * _nx + i;
            float top = _lattice[row] + wx * (_lattice[row + 1] - _lattice[row]);
            float bottom = _lattice[row + _nx] + wx * (_lattice[row + _nx + 1] - _lattice[row + _nx]);
            return top + wy * (bottom - top);
        }
        float lower = Plane(k);
        return lower + wz * (Plane(k + 1) - lower);
    }

    private static float Smooth(float t) => t * t * (3 - 2 * t);
}
