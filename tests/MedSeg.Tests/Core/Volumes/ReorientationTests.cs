using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.Volumes;

public class ReorientationTests
{
    [Theory]
    [InlineData(new double[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 }, "RAS")]
    [InlineData(new double[] { -1.5, 0, 0, 0, 0, -1.5, 0, 0, 0, 0, 3, 0 }, "LPS")]
    // A sagittal stack: i runs posterior, j inferior, k to the right.
    [InlineData(new double[] { 0, 0, 1, 0, -1, 0, 0, 0, 0, -1, 0, 0 }, "PIR")]
    // 10° oblique: still closest to RAS.
    [InlineData(new double[] { 1, 0, 0, 0, 0, 0.9848, -0.1736, 0, 0, 0.1736, 0.9848, 0 }, "RAS")]
    public void Axis_codes_name_the_closest_world_direction_of_each_voxel_axis(double[] rows, string codes)
    {
        Assert.Equal(codes, Reorientation.AxisCodes(Affine.FromRows(rows)));
    }

    [Theory]
    [InlineData(new double[] { -1.5, 0, 0, 90, 0, -1.5, 0, 120, 0, 0, 3, -60 })]
    [InlineData(new double[] { 0, 0, 2, -10, -1, 0, 0, 5, 0, -3, 0, 40 })]
    [InlineData(new double[] { 0.2588, -0.9659, 0, 3, -0.9659, -0.2588, 0, 7, 0, 0, -2.5, 1 })]
    public void Canonical_volume_keeps_every_voxel_at_its_world_position_and_undo_restores_it_exactly(double[] rows)
    {
        var original = Ramp(new VolumeGeometry(new VolumeShape(4, 3, 5), Affine.FromRows(rows)), channels: 2);
        var reorientation = Reorientation.ToCanonical(original.Geometry);

        var canonical = reorientation.Apply(original);

        Assert.Equal("RAS", Reorientation.AxisCodes(canonical.Affine));
        Assert.Equal(original.Shape.VoxelCount, canonical.Shape.VoxelCount);
        // Every voxel value (a unique code of its original index) sits at the same world point as before.
        var toOriginal = original.Affine.Inverse();
        for (int c = 0; c < 2; c++)
        {
            for (int z = 0; z < canonical.Shape.Z; z++)
            {
                for (int y = 0; y < canonical.Shape.Y; y++)
                {
                    for (int x = 0; x < canonical.Shape.X; x++)
                    {
                        var (wx, wy, wz) = canonical.Affine.Apply(x, y, z);
                        var (i, j, k) = toOriginal.Apply(wx, wy, wz);
                        int oi = (int)Math.Round(i), oj = (int)Math.Round(j), ok = (int)Math.Round(k);
                        Assert.Equal(0, Math.Max(Math.Abs(i - oi), Math.Max(Math.Abs(j - oj), Math.Abs(k - ok))), 9);
                        Assert.Equal(original[oi, oj, ok, c], canonical[x, y, z, c]);
                    }
                }
            }
        }

        var back = reorientation.Undo(canonical);
        Assert.Equal(original.Voxels, back.Voxels);
        Assert.Equal(original.Shape, back.Shape);
        Assert.Same(original.Affine, back.Affine);
    }

    [Fact]
    public void A_canonical_grid_is_left_alone()
    {
        var geometry = new VolumeGeometry(new VolumeShape(2, 3, 4), Affine.Diagonal(1, 2, 3, -5, 5, 0));
        var reorientation = Reorientation.ToCanonical(geometry);
        Assert.True(reorientation.IsIdentity);
        Assert.Equal(0, reorientation.Canonical.Affine.MaxDifference(geometry.Affine));
    }

    [Fact]
    public void Lps_grid_flips_the_first_two_axes_and_moves_the_origin_to_the_far_corner()
    {
        var geometry = new VolumeGeometry(new VolumeShape(10, 20, 5), Affine.Diagonal(-1.5, -2, 3, 100, 50, -10));
        var reorientation = Reorientation.ToCanonical(geometry);

        Assert.Equal([0, 1, 2], reorientation.Permutation);
        Assert.Equal([true, true, false], reorientation.Flipped);
        // The new voxel 0 is the old voxel (9, 19, 0): at x = 100 − 9·1.5, y = 50 − 19·2.
        double[] expected = [1.5, 0, 0, 86.5, 0, 2, 0, 12, 0, 0, 3, -10];
        Assert.Equal(expected, reorientation.Canonical.Affine.ToRows());
    }

    /// <summary>A volume whose voxel at (x, y, z, c) holds a value unique to that index.</summary>
    internal static Volume<float> Ramp(VolumeGeometry geometry, int channels = 1)
    {
        var volume = new Volume<float>(geometry, channels);
        for (int i = 0; i < volume.Voxels.Length; i++)
        {
            volume.Voxels[i] = i;
        }
        return volume;
    }
}
