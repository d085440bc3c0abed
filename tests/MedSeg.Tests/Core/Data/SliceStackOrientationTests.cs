using MedSeg.Core.Data;
using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.Data;

/// <summary>Volumes on any grid become UW-Madison-like slice stacks (LPS) and come back exactly.</summary>
public sealed class SliceStackOrientationTests
{
    private static Volume<ushort> Ramp(double[] rows, VolumeShape shape)
    {
        var volume = new Volume<ushort>(new VolumeGeometry(shape, Affine.FromRows(rows)));
        for (var i = 0; i < volume.Voxels.Length; i++)
        {
            volume.Voxels[i] = (ushort)i;
        }
        return volume;
    }

    [Fact]
    public void AnLpsAxialStackIsTakenAsStored()
    {
        // Columns towards the left, rows towards the back, slices towards the head: NIfTI's x-fastest planes are the slices.
        var volume = Ramp([-1.5, 0, 0, 90, 0, -1.5, 0, 120, 0, 0, 3, -60], new VolumeShape(4, 3, 5));
        var orientation = new SliceStackOrientation(volume.Geometry);
        Assert.Equal((5, 3, 4), (orientation.Depth, orientation.Height, orientation.Width));
        Assert.Equal(volume.Voxels, orientation.ToStack(volume));
    }

    [Fact]
    public void AnRasStackIsMirroredInEachSlice()
    {
        var volume = Ramp([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 3, 0], new VolumeShape(4, 3, 2));
        var stack = new SliceStackOrientation(volume.Geometry).ToStack(volume);
        // Stack voxel (d, h, w) is RAS voxel (x = 3 − w, y = 2 − h, z = d).
        Assert.Equal(volume[3, 2, 0], stack[0]);
        Assert.Equal(volume[0, 2, 1], stack[(1 * 3 + 0) * 4 + 3]);
        Assert.Equal(volume[2, 0, 1], stack[(1 * 3 + 2) * 4 + 1]);
    }

    [Theory]
    [InlineData(new double[] { 0, 0, 2, -10, -1, 0, 0, 5, 0, -3, 0, 40 })]
    [InlineData(new double[] { 0.2588, -0.9659, 0, 3, -0.9659, -0.2588, 0, 7, 0, 0, -2.5, 1 })]
    public void FromStackRestoresTheOriginalGridAndVoxelsExactly(double[] rows)
    {
        var volume = Ramp(rows, new VolumeShape(4, 3, 5));
        var orientation = new SliceStackOrientation(volume.Geometry);
        var back = orientation.FromStack(orientation.ToStack(volume));
        Assert.Equal(volume.Geometry, back.Geometry);
        Assert.Equal(volume.Voxels, back.Voxels);
    }
}
