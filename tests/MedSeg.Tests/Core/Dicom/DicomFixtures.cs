using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.Dicom;

/// <summary>Source volumes of known geometry for the DICOM tests, and the checks that compare what was read with them.</summary>
internal static class DicomFixtures
{
    /// <summary>An oblique grid (rotated 20° about (1, 2, 3)), 0.7 × 0.9 mm pixels, 2.5 mm slices, odd sizes, CT values from −1024 HU.</summary>
    public static Volume<float> ObliqueCt(int slices = 6)
    {
        var r = Rotation([1, 2, 3], 20 * Math.PI / 180);
        double[] spacing = [0.7, 0.9, 2.5];
        var rows = new double[12];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                rows[i * 4 + j] = r[i, j] * spacing[j];
            }
        }
        rows[3] = -101.25;
        rows[7] = 37.5;
        rows[11] = -250.125;
        return Ct(new VolumeGeometry(new VolumeShape(7, 5, slices), Affine.FromRows(rows)));
    }

    /// <summary>Axial slices whose k axis points against the DICOM slice normal (a negative determinant, as many scanners store feet-first).</summary>
    public static Volume<float> NegativeDirectionCt() =>
        Ct(new VolumeGeometry(new VolumeShape(6, 4, 5), Affine.FromRows([-0.8, 0, 0, 40, 0, -0.8, 0, 60, 0, 0, -3, 120])));

    /// <summary>CT values −1024 … 1975 HU, a different one at nearly every voxel.</summary>
    public static Volume<float> Ct(VolumeGeometry geometry)
    {
        var s = geometry.Shape;
        var voxels = new float[s.VoxelCount];
        for (var i = 0; i < voxels.Length; i++)
        {
            voxels[i] = -1024 + (i * 37 + i / s.X * 11) % 3000;
        }
        return new Volume<float>(geometry, voxels);
    }

    /// <summary>Asserts that <paramref name="read"/> is <paramref name="source"/> on the same grid: shape and voxels equal, affine and spacing to 1e-4.</summary>
    public static void AssertSameGrid(Volume<float> source, Volume<float> read)
    {
        Assert.Equal(source.Shape, read.Shape);
        Assert.True(read.Affine.MaxDifference(source.Affine) <= 1e-4, $"affine {read.Affine} differs from the source {source.Affine}");
        Assert.Equal(source.Spacing.ToArray(), read.Spacing.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-4);
        Assert.Equal(source.Voxels, read.Voxels);
    }

    /// <summary>
    /// Asserts that every voxel of <paramref name="read"/> lies on a voxel of <paramref name="source"/> (world
    /// positions equal to <paramref name="toleranceMm"/>) with the same value (to 1e-4), and that both cover the same
    /// number of voxels: the same image, whatever the voxel order.
    /// </summary>
    public static void AssertSameWorld(Volume<float> source, Volume<float> read, double toleranceMm = 1e-4)
    {
        Assert.Equal(source.Shape.VoxelCount, read.Shape.VoxelCount);
        var toSource = source.Affine.Inverse().Multiply(read.Affine);
        var s = read.Shape;
        for (var k = 0; k < s.Z; k++)
        {
            for (var j = 0; j < s.Y; j++)
            {
                for (var i = 0; i < s.X; i++)
                {
                    var (x, y, z) = toSource.Apply(i, j, k);
                    int si = (int)Math.Round(x), sj = (int)Math.Round(y), sk = (int)Math.Round(z);
                    var (wx, wy, wz) = source.Affine.Apply(si, sj, sk);
                    var (rx, ry, rz) = read.Affine.Apply(i, j, k);
                    var off = Math.Max(Math.Abs(wx - rx), Math.Max(Math.Abs(wy - ry), Math.Abs(wz - rz)));
                    Assert.True(off <= toleranceMm, $"voxel ({i}, {j}, {k}) lies {off} mm from the nearest source voxel ({si}, {sj}, {sk})");
                    Assert.Equal(source[si, sj, sk], read[i, j, k], 1e-4);
                }
            }
        }
    }

    private static double[,] Rotation(double[] axis, double angle)
    {
        var n = Math.Sqrt(axis.Sum(a => a * a));
        double x = axis[0] / n, y = axis[1] / n, z = axis[2] / n, c = Math.Cos(angle), s = Math.Sin(angle), t = 1 - c;
        return new[,]
        {
            { t * x * x + c, t * x * y - s * z, t * x * z + s * y },
            { t * x * y + s * z, t * y * y + c, t * y * z - s * x },
            { t * x * z - s * y, t * y * z + s * x, t * z * z + c },
        };
    }
}
