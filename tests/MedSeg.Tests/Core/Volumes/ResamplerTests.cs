using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.Volumes;

public class ResamplerTests
{
    /// <summary>A linear function of world position, which trilinear interpolation reproduces exactly.</summary>
    private static double Field(double x, double y, double z) => 2 * x - 3 * y + 0.5 * z + 7;

    [Theory]
    [InlineData(2.0, 1.0, 1.5)]
    [InlineData(0.7, 3.0, 2.25)]
    public void Linear_resampling_of_a_ramp_is_exact_at_every_new_voxel(double sx, double sy, double sz)
    {
        var rows = new double[] { 0, 1.0, 0, -4, -1.2, 0, 0, 9, 0, 0, 3.0, 2 };
        var source = Sample(new VolumeGeometry(new VolumeShape(10, 8, 6), Affine.FromRows(rows)));

        var resampled = Resampler.ToSpacing(source, new VoxelSpacing(sx, sy, sz));

        var spacing = resampled.Spacing;
        Assert.Equal(sx, spacing.X, 12);
        Assert.Equal(sy, spacing.Y, 12);
        Assert.Equal(sz, spacing.Z, 12);
        Assert.Equal(new VolumeShape((int)Math.Round(10 * 1.2 / sx, MidpointRounding.AwayFromZero), (int)Math.Round(8 / sy, MidpointRounding.AwayFromZero), (int)Math.Round(18 / sz, MidpointRounding.AwayFromZero)), resampled.Shape);
        // Same centre, same directions.
        var oldCentre = source.Affine.Apply(4.5, 3.5, 2.5);
        var s = resampled.Shape;
        var newCentre = resampled.Affine.Apply((s.X - 1) / 2.0, (s.Y - 1) / 2.0, (s.Z - 1) / 2.0);
        Assert.Equal(oldCentre.X, newCentre.X, 9);
        Assert.Equal(oldCentre.Y, newCentre.Y, 9);
        Assert.Equal(oldCentre.Z, newCentre.Z, 9);
        // Inside the source grid the ramp is exact; within half a voxel outside, it is the ramp at the nearest edge.
        var toSource = source.Affine.Inverse();
        for (int z = 0; z < s.Z; z++)
        {
            for (int y = 0; y < s.Y; y++)
            {
                for (int x = 0; x < s.X; x++)
                {
                    var (wx, wy, wz) = resampled.Affine.Apply(x, y, z);
                    var (i, j, k) = toSource.Apply(wx, wy, wz);
                    var (ex, ey, ez) = source.Affine.Apply(Math.Clamp(i, 0, 9), Math.Clamp(j, 0, 7), Math.Clamp(k, 0, 5));
                    Assert.Equal(Field(ex, ey, ez), resampled[x, y, z], tolerance: 1e-3);
                }
            }
        }
    }

    [Fact]
    public void Resampling_onto_the_same_grid_returns_the_same_values()
    {
        var geometry = new VolumeGeometry(new VolumeShape(5, 4, 3), Affine.Diagonal(-1.5, -1.5, 3, 10, 20, 30));
        var image = ReorientationTests.Ramp(geometry);
        Assert.Equal(image.Voxels, Resampler.ToGrid(image, geometry).Voxels);
        Assert.Equal(image.Voxels, Resampler.ToGridNearest(image, geometry).Voxels);
    }

    [Fact]
    public void Halving_the_resolution_of_a_two_voxel_ramp_averages_neighbours()
    {
        var geometry = new VolumeGeometry(new VolumeShape(4, 1, 1), Affine.Identity);
        var image = new Volume<float>(geometry, [0f, 10f, 20f, 30f]);

        var half = Resampler.ToSpacing(image, new VoxelSpacing(2, 1, 1));

        // New centres at old indices 0.5 and 2.5.
        Assert.Equal([5f, 25f], half.Voxels);
        Assert.Equal([2, 0, 0, 0.5, 0, 1, 0, 0, 0, 0, 1, 0], half.Affine.ToRows());
    }

    [Fact]
    public void Nearest_resampling_keeps_the_label_set()
    {
        var geometry = new VolumeGeometry(new VolumeShape(12, 10, 8), Affine.Diagonal(0.8, 0.8, 2.5));
        var labels = new Volume<ushort>(geometry);
        for (int z = 0; z < 8; z++)
        {
            for (int y = 0; y < 10; y++)
            {
                for (int x = 0; x < 12; x++)
                {
                    labels[x, y, z] = (ushort)(x < 4 ? 0 : y < 5 ? 1 : z < 4 ? 2 : 7);
                }
            }
        }

        var coarse = Resampler.ToSpacingNearest(labels, new VoxelSpacing(1.5, 1.5, 1.5));
        var fine = Resampler.ToSpacingNearest(labels, new VoxelSpacing(0.5, 0.5, 0.5));

        ushort[] expected = [0, 1, 2, 7];
        Assert.Equal(expected, coarse.Voxels.Distinct().Order());
        Assert.Equal(expected, fine.Voxels.Distinct().Order());
    }

    [Fact]
    public void Voxels_beyond_the_source_are_background()
    {
        var source = new Volume<float>(new VolumeGeometry(new VolumeShape(2, 2, 2), Affine.Identity), [1f, 1, 1, 1, 1, 1, 1, 1]);
        var shifted = new VolumeGeometry(new VolumeShape(4, 1, 1), Affine.Diagonal(1, 1, 1, -1, 0, 0));

        // New x = −1, 0, 1, 2: −1 and 2 are more than half a voxel outside [0, 1].
        Assert.Equal([0f, 1, 1, 0], Resampler.ToGrid(source, shifted).Voxels);
        Assert.Equal([0f, 1, 1, 0], Resampler.ToGridNearest(source, shifted).Voxels);
    }

    private static Volume<float> Sample(VolumeGeometry geometry)
    {
        var volume = new Volume<float>(geometry);
        var s = geometry.Shape;
        for (int z = 0; z < s.Z; z++)
        {
            for (int y = 0; y < s.Y; y++)
            {
                for (int x = 0; x < s.X; x++)
                {
                    var (wx, wy, wz) = geometry.Affine.Apply(x, y, z);
                    volume[x, y, z] = (float)Field(wx, wy, wz);
                }
            }
        }
        return volume;
    }
}
