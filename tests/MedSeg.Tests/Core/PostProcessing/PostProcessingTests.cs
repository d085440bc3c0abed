using MedSeg.Core.PostProcessing;

namespace MedSeg.Tests.Core.PostProcessing;

public sealed class PostProcessingTests
{
    /// <summary>Parses rows like "1.1" into a row-major 0/1 mask.</summary>
    private static byte[] Mask(params string[] rows) => rows.SelectMany(r => r.Select(c => c == '1' ? (byte)1 : (byte)0)).ToArray();

    [Fact]
    public void DiagonalPixelsAreOneComponentOnlyWithFullConnectivity()
    {
        var mask = Mask("10", "01");
        ConnectedComponents.Label(mask, [2, 2], Connectivity.Faces, out var faces);
        ConnectedComponents.Label(mask, [2, 2], Connectivity.Full, out var full);
        Assert.Equal(new[] { 0, 1, 1 }, faces);
        Assert.Equal(new[] { 0, 2 }, full);
    }

    [Fact]
    public void UShapeMergesIntoOneLabel()
    {
        // The two arms get different provisional labels and merge at the bottom row.
        var labels = ConnectedComponents.Label(Mask("101", "101", "111"), [3, 3], Connectivity.Faces, out var sizes);
        Assert.Equal(new[] { 0, 7 }, sizes);
        Assert.All(labels.Where((_, i) => i != 1 && i != 4), l => Assert.Equal(1, l));
    }

    [Fact]
    public void ComponentsConnectAcrossSlicesIn3D()
    {
        // Slice 0 has a pixel at (0,0), slice 1 at (1,1): 26-connected, not 6-connected.
        var mask = Mask("10", "00", "00", "01");
        ConnectedComponents.Label(mask, [2, 2, 2], Connectivity.Full, out var full);
        ConnectedComponents.Label(mask, [2, 2, 2], Connectivity.Faces, out var faces);
        Assert.Equal(2, full.Length);
        Assert.Equal(3, faces.Length);
    }

    [Fact]
    public void SmallComponentsAreRemovedAndLargestKept()
    {
        var mask = Mask("1100", "1101", "0000", "0011");
        var small = mask.ToArray();
        MaskFilters.RemoveSmallComponents(small, [4, 4], 3, Connectivity.Faces);
        Assert.Equal(Mask("1100", "1100", "0000", "0000"), small);
        MaskFilters.KeepLargestComponent(mask, [4, 4], Connectivity.Faces);
        Assert.Equal(Mask("1100", "1100", "0000", "0000"), mask);
    }

    [Fact]
    public void HolesAreFilledButOpenBaysAreNot()
    {
        var mask = Mask("11111", "10101", "11101", "00000");
        MaskFilters.FillHoles(mask, [4, 5], Connectivity.Faces);
        // (1,1) is enclosed and filled; (1,3)-(2,3) opens onto the empty bottom row, so it stays.
        Assert.Equal(Mask("11111", "11101", "11101", "00000"), mask);
        var bay = Mask("111", "101", "101");
        MaskFilters.FillHoles(bay, [3, 3], Connectivity.Faces);
        Assert.Equal(Mask("111", "101", "101"), bay);
    }

    [Fact]
    public void SparseSlicesAreCleared()
    {
        var mask = Mask("11", "00", "10", "00", "11", "11");
        MaskFilters.ClearSparseSlices(mask, 3, 2);
        Assert.Equal(Mask("11", "00", "00", "00", "11", "11"), mask);
    }

    [Fact]
    public void LongestSliceRunIsKeptAcrossSmallGaps()
    {
        // Slices (one pixel each): 1 0 1 1 0 0 0 1 → with gap 1 the run 0..3 (4 slices) beats slice 7.
        var mask = Mask("1", "0", "1", "1", "0", "0", "0", "1");
        MaskFilters.KeepLongestSliceRun(mask, 8, 1);
        Assert.Equal(Mask("1", "0", "1", "1", "0", "0", "0", "0"), mask);
        var strict = Mask("1", "0", "1", "1", "0", "0", "0", "1");
        MaskFilters.KeepLongestSliceRun(strict, 8, 0);
        Assert.Equal(Mask("0", "0", "1", "1", "0", "0", "0", "0"), strict);
    }

    [Fact]
    public void OptionsApplyPerSliceOrIn3D()
    {
        // Two slices of 3×3, each with one isolated pixel stacked on the other: 2 voxels in 3D, 1 per slice.
        var mask = Mask("100", "000", "000", "100", "000", "000");
        var volumetric = mask.ToArray();
        new PostProcessOptions { MinComponent = 2 }.Apply(volumetric, 2, 3, 3);
        Assert.Equal(mask, volumetric);
        var perSlice = mask.ToArray();
        new PostProcessOptions { MinComponent = 2, Volumetric = false }.Apply(perSlice, 2, 3, 3);
        Assert.All(perSlice, v => Assert.Equal(0, v));
    }
}
