namespace MedSeg.Core.Volumes;

/// <summary>
/// The axis permutation and flips that bring a voxel grid to the closest canonical RAS+ orientation (voxel axis 0
/// runs towards the patient's right, 1 anterior, 2 superior), as nibabel's <c>as_closest_canonical</c>: voxels are
/// only reordered, never interpolated, so <see cref="Undo{T}"/> restores the original voxels and affine exactly
/// (e.g. to write a prediction made in canonical orientation on the input's own grid).
/// </summary>
public sealed class Reorientation
{
    private static readonly string Positive = "RAS", Negative = "LPI";
    private readonly int[] _permutation;
    private readonly bool[] _flipped;

    private Reorientation(VolumeGeometry original, int[] permutation, bool[] flipped)
    {
        Original = original;
        _permutation = permutation;
        _flipped = flipped;
        var shape = original.Shape;
        var canonicalShape = new VolumeShape(shape[permutation[0]], shape[permutation[1]], shape[permutation[2]]);
        // Canonical index c → original index o: o[perm[i]] = flipped[i] ? n_i − 1 − c_i : c_i.
        var rows = new double[12];
        for (int i = 0; i < 3; i++)
        {
            rows[_permutation[i] * 4 + i] = _flipped[i] ? -1 : 1;
            if (_flipped[i])
            {
                rows[_permutation[i] * 4 + 3] = canonicalShape[i] - 1;
            }
        }
        Canonical = new VolumeGeometry(canonicalShape, original.Affine.Multiply(Affine.FromRows(rows)));
    }

    /// <summary>The grid the volume came on.</summary>
    public VolumeGeometry Original { get; }

    /// <summary>The canonical (closest RAS+) grid: same voxel centres, axes reordered and flipped.</summary>
    public VolumeGeometry Canonical { get; }

    /// <summary>For each canonical axis i, the original voxel axis it takes.</summary>
    public IReadOnlyList<int> Permutation => _permutation;

    /// <summary>For each canonical axis i, whether it runs against its original axis.</summary>
    public IReadOnlyList<bool> Flipped => _flipped;

    /// <summary>Whether the original grid is already canonical (nothing to reorder).</summary>
    public bool IsIdentity => _permutation.SequenceEqual([0, 1, 2]) && !_flipped.Contains(true);

    /// <summary>The reorientation of <paramref name="original"/> to its closest canonical grid.</summary>
    public static Reorientation ToCanonical(VolumeGeometry original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var axes = ClosestWorldAxes(original.Affine);
        var permutation = new int[3];
        var flipped = new bool[3];
        for (int voxelAxis = 0; voxelAxis < 3; voxelAxis++)
        {
            permutation[axes[voxelAxis].WorldAxis] = voxelAxis;
            flipped[axes[voxelAxis].WorldAxis] = axes[voxelAxis].Negative;
        }
        return new Reorientation(original, permutation, flipped);
    }

    /// <summary>
    /// The orientation codes of an affine's voxel axes, as nibabel's <c>aff2axcodes</c>: for each voxel axis the world
    /// direction it points closest to, R/L, A/P or S/I (e.g. "LPS" for a DICOM-like grid, "RAS" when canonical).
    /// </summary>
    public static string AxisCodes(Affine affine)
    {
        ArgumentNullException.ThrowIfNull(affine);
        return string.Concat(ClosestWorldAxes(affine).Select(a => (a.Negative ? Negative : Positive)[a.WorldAxis]));
    }

    /// <summary>Reorders a volume on the <see cref="Original"/> grid onto the <see cref="Canonical"/> grid.</summary>
    public Volume<T> Apply<T>(Volume<T> volume) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        Require(volume, Original, "original");
        return Permute(volume, _permutation, _flipped, Canonical);
    }

    /// <summary>Reorders a volume on the <see cref="Canonical"/> grid back onto the <see cref="Original"/> grid (and affine).</summary>
    public Volume<T> Undo<T>(Volume<T> canonical) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(canonical);
        Require(canonical, Canonical, "canonical");
        var inverse = new int[3];
        var flipped = new bool[3];
        for (int i = 0; i < 3; i++)
        {
            inverse[_permutation[i]] = i;
            flipped[_permutation[i]] = _flipped[i];
        }
        return Permute(canonical, inverse, flipped, Original);
    }

    /// <summary>
    /// For each voxel axis, the world axis its direction is closest to and whether it points the negative way; as
    /// nibabel's <c>io_orientation</c>, axes are taken in order and each takes the largest remaining world component.
    /// </summary>
    private static (int WorldAxis, bool Negative)[] ClosestWorldAxes(Affine affine)
    {
        var r = new double[3, 3];
        var spacing = affine.Spacing;
        for (int c = 0; c < 3; c++)
        {
            double length = spacing[c] == 0 ? 1 : spacing[c];
            for (int w = 0; w < 3; w++)
            {
                r[w, c] = affine[w, c] / length;
            }
        }
        var result = new (int, bool)[3];
        var taken = new bool[3];
        for (int c = 0; c < 3; c++)
        {
            int best = -1;
            for (int w = 0; w < 3; w++)
            {
                if (!taken[w] && (best < 0 || Math.Abs(r[w, c]) > Math.Abs(r[best, c])))
                {
                    best = w;
                }
            }
            taken[best] = true;
            result[c] = (best, r[best, c] < 0);
        }
        return result;
    }

    private static void Require<T>(Volume<T> volume, VolumeGeometry expected, string which) where T : unmanaged
    {
        if (volume.Shape != expected.Shape)
        {
            throw new ArgumentException($"The volume is {volume.Shape} but the {which} grid of this reorientation is {expected.Shape}.", nameof(volume));
        }
    }

    /// <summary>Output axis i walks source axis <paramref name="sourceAxis"/>[i], backwards where <paramref name="flip"/>[i].</summary>
    private static Volume<T> Permute<T>(Volume<T> source, int[] sourceAxis, bool[] flip, VolumeGeometry target) where T : unmanaged
    {
        var s = source.Shape;
        long[] strides = [1, s.X, (long)s.X * s.Y];
        var n = target.Shape;
        long start = 0;
        var step = new long[3];
        for (int i = 0; i < 3; i++)
        {
            step[i] = flip[i] ? -strides[sourceAxis[i]] : strides[sourceAxis[i]];
            if (flip[i])
            {
                start += (n[i] - 1) * strides[sourceAxis[i]];
            }
        }
        var result = new Volume<T>(target, source.Channels);
        for (int channel = 0; channel < source.Channels; channel++)
        {
            ReadOnlySpan<T> from = source.Channel(channel);
            Span<T> to = result.Channel(channel);
            int o = 0;
            for (int z = 0; z < n.Z; z++)
            {
                for (int y = 0; y < n.Y; y++)
                {
                    long p = start + z * step[2] + y * step[1];
                    for (int x = 0; x < n.X; x++, p += step[0])
                    {
                        to[o++] = from[(int)p];
                    }
                }
            }
        }
        return result;
    }
}
