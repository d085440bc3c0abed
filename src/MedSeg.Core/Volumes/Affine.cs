using System.Globalization;

namespace MedSeg.Core.Volumes;

/// <summary>
/// A 4×4 affine transform with last row (0, 0, 0, 1), as NIfTI's sform and nibabel's <c>img.affine</c>: it maps a
/// voxel index (i, j, k) to world coordinates (x, y, z) in mm, RAS+ (x towards the patient's right, y anterior,
/// z superior). Column c of the 3×3 part is the world step of one voxel along voxel axis c; column 3 is the world
/// position of voxel (0, 0, 0). Immutable.
/// </summary>
public sealed class Affine
{
    private readonly double[] _m; // rows 0..2, 4 entries each, row-major

    private Affine(double[] m) => _m = m;

    /// <summary>The identity: voxel (i, j, k) at (i, j, k) mm.</summary>
    public static Affine Identity { get; } = Diagonal(1, 1, 1);

    /// <summary>An affine from its first three rows (12 values, row-major: r00 r01 r02 t0, r10 ...).</summary>
    public static Affine FromRows(ReadOnlySpan<double> rows)
    {
        if (rows.Length != 12)
        {
            throw new ArgumentException($"An affine is given by 12 values (3 rows of 4), not {rows.Length}.", nameof(rows));
        }
        return new Affine(rows.ToArray());
    }

    /// <summary>The scaling diag(sx, sy, sz) with the given origin (world position of voxel 0, in mm).</summary>
    public static Affine Diagonal(double sx, double sy, double sz, double ox = 0, double oy = 0, double oz = 0) =>
        new([sx, 0, 0, ox, 0, sy, 0, oy, 0, 0, sz, oz]);

    /// <summary>Entry (row, column), rows 0..3, columns 0..3; row 3 is (0, 0, 0, 1).</summary>
    public double this[int row, int column]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(column);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(column, 3);
            if (row == 3)
            {
                return column == 3 ? 1 : 0;
            }
            ArgumentOutOfRangeException.ThrowIfNegative(row);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(row, 3);
            return _m[row * 4 + column];
        }
    }

    /// <summary>The first three rows, row-major (12 values).</summary>
    public double[] ToRows() => (double[])_m.Clone();

    /// <summary>The full 4×4 matrix as nested rows (for JSON and printing).</summary>
    public double[][] ToMatrix() =>
        [[_m[0], _m[1], _m[2], _m[3]], [_m[4], _m[5], _m[6], _m[7]], [_m[8], _m[9], _m[10], _m[11]], [0, 0, 0, 1]];

    /// <summary>Voxel spacing in mm: the Euclidean lengths of columns 0, 1 and 2.</summary>
    public VoxelSpacing Spacing => new(ColumnLength(0), ColumnLength(1), ColumnLength(2));

    /// <summary>The world position (mm) of the (possibly fractional) voxel index (i, j, k).</summary>
    public (double X, double Y, double Z) Apply(double i, double j, double k) => (
        _m[0] * i + _m[1] * j + _m[2] * k + _m[3],
        _m[4] * i + _m[5] * j + _m[6] * k + _m[7],
        _m[8] * i + _m[9] * j + _m[10] * k + _m[11]);

    /// <summary>The product this · <paramref name="other"/> (apply <paramref name="other"/> first).</summary>
    public Affine Multiply(Affine other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var m = new double[12];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                double sum = c == 3 ? _m[r * 4 + 3] : 0;
                for (int k = 0; k < 3; k++)
                {
                    sum += _m[r * 4 + k] * other._m[k * 4 + c];
                }
                m[r * 4 + c] = sum;
            }
        }
        return new Affine(m);
    }

    /// <summary>The determinant of the 3×3 part (negative for a left-handed voxel grid, as in most scans).</summary>
    public double Determinant =>
        _m[0] * (_m[5] * _m[10] - _m[6] * _m[9]) - _m[1] * (_m[4] * _m[10] - _m[6] * _m[8]) + _m[2] * (_m[4] * _m[9] - _m[5] * _m[8]);

    /// <summary>The inverse transform (world mm → voxel index).</summary>
    /// <exception cref="InvalidOperationException">The 3×3 part is singular.</exception>
    public Affine Inverse()
    {
        double det = Determinant;
        if (det == 0 || !double.IsFinite(det))
        {
            throw new InvalidOperationException($"The affine {this} is singular and has no inverse.");
        }
        double a = _m[0], b = _m[1], c = _m[2], d = _m[4], e = _m[5], f = _m[6], g = _m[8], h = _m[9], k = _m[10];
        double[] r =
        [
            (e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det, 0,
            (f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det, 0,
            (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det, 0,
        ];
        for (int row = 0; row < 3; row++)
        {
            r[row * 4 + 3] = -(r[row * 4] * _m[3] + r[row * 4 + 1] * _m[7] + r[row * 4 + 2] * _m[11]);
        }
        return new Affine(r);
    }

    /// <summary>The largest absolute difference between corresponding entries of the two affines.</summary>
    public double MaxDifference(Affine other)
    {
        ArgumentNullException.ThrowIfNull(other);
        double max = 0;
        for (int i = 0; i < 12; i++)
        {
            max = Math.Max(max, Math.Abs(_m[i] - other._m[i]));
        }
        return max;
    }

    /// <summary>The three rows, e.g. <c>[[-1.5 0 0 90] [0 -1.5 0 120] [0 0 3 -60]]</c>.</summary>
    public override string ToString()
    {
        string Row(int r) => string.Create(CultureInfo.InvariantCulture, $"[{_m[r * 4]:G6} {_m[r * 4 + 1]:G6} {_m[r * 4 + 2]:G6} {_m[r * 4 + 3]:G6}]");
        return $"[{Row(0)} {Row(1)} {Row(2)}]";
    }

    private double ColumnLength(int c) => Math.Sqrt(_m[c] * _m[c] + _m[4 + c] * _m[4 + c] + _m[8 + c] * _m[8 + c]);
}
