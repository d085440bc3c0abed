using MedSeg.Core;
using MedSeg.Core.Dicom;

namespace MedSeg.Tests.Core.Dicom;

/// <summary><see cref="DicomSeries.Build"/> on hand-made headers: sorting, the affine, and the refusals (no library, no files).</summary>
public class DicomSeriesTests
{
    private static DicomSliceHeader Slice(string file, double z, double[]? orientation = null, double x = 10) =>
        new($"/pacs/{file}", "1.2.3", [x, -20, z], orientation ?? [1, 0, 0, 0, 1, 0], 0.5, 0.75, 4, 6, 1, 1, -1024);

    [Fact]
    public void SlicesAreSortedByPositionAlongTheNormalNotByName()
    {
        var series = DicomSeries.Build([Slice("a", 30), Slice("b", 10), Slice("c", 20)]);

        Assert.Equal(["/pacs/b", "/pacs/c", "/pacs/a"], series.Slices.Select(s => s.File));
        Assert.Equal(new MedSeg.Core.Volumes.VolumeShape(6, 4, 3), series.Geometry.Shape);
        // LPS (10, -20, 10) → RAS (-10, 20, 10); row direction +x in LPS is −x in RAS, columns 0.75 mm, rows 0.5 mm, slices 10 mm.
        Assert.Equal([-0.75, 0, 0, -10, 0, -0.5, 0, 20, 0, 0, 10, 10], series.Geometry.Affine.ToRows());
    }

    [Fact]
    public void AGantryTiltStaysInTheAffine()
    {
        var series = DicomSeries.Build([Slice("a", 0, x: 10), Slice("b", 2, x: 11), Slice("c", 4, x: 12)]);

        Assert.Equal(-1, series.Geometry.Affine[0, 2], 12);
        Assert.Equal(2, series.Geometry.Affine[2, 2], 12);
    }

    [Fact]
    public void AMissingSliceIsRefusedNamingTheSeriesAndTheFiles()
    {
        var error = Assert.Throws<MedSegException>(() => DicomSeries.Build([Slice("a", 0), Slice("b", 2), Slice("c", 6), Slice("d", 8), Slice("e", 10)]));

        Assert.Contains("/pacs/b and /pacs/c", error.Message);
        Assert.Contains("series 1.2.3", error.Message);
        Assert.Contains("1 slice(s) between them are missing", error.Message);
    }

    [Fact]
    public void UnequalSpacingBeyondOnePercentIsRefused()
    {
        var error = Assert.Throws<MedSegException>(() => DicomSeries.Build([Slice("a", 0), Slice("b", 2), Slice("c", 4), Slice("d", 7)]));

        Assert.Contains("unequal spacing", error.Message);
        Assert.Contains("/pacs/c and /pacs/d", error.Message);
        DicomSeries.Build([Slice("a", 0), Slice("b", 2), Slice("c", 4.01), Slice("d", 6)]);
    }

    [Fact]
    public void ASliceShiftedWithinThePlaneIsRefused()
    {
        var error = Assert.Throws<MedSegException>(() => DicomSeries.Build([Slice("a", 0), Slice("b", 2), Slice("c", 4, x: 13), Slice("d", 6)]));

        Assert.Contains("/pacs/c", error.Message);
        Assert.Contains("shifted within the plane", error.Message);
    }

    [Fact]
    public void MixedOrientationsAndStackedSlicesAreRefused()
    {
        var tilted = Assert.Throws<MedSegException>(() => DicomSeries.Build([Slice("a", 0), Slice("b", 2, [1, 0, 0, 0, 0.8, 0.6])]));
        Assert.Contains("/pacs/b", tilted.Message);
        Assert.Contains("mixed orientations", tilted.Message);

        var stacked = Assert.Throws<MedSegException>(() => DicomSeries.Build([Slice("a", 0), Slice("b", 0), Slice("c", 2), Slice("d", 2)]));
        Assert.Contains("same position", stacked.Message);
    }

    [Fact]
    public void ASliceWithoutPositionOrAMultiFrameFileIsRefusedByName()
    {
        var noPosition = Assert.Throws<MedSegException>(() => DicomSeries.Build([Slice("a", 0), Slice("b", 2) with { Position = null }]));
        Assert.Contains("/pacs/b", noPosition.Message);
        Assert.Contains("ImagePositionPatient", noPosition.Message);

        var multiFrame = Assert.Throws<MedSegException>(() => DicomSeries.Build([Slice("a", 0) with { Frames = 40 }]));
        Assert.Contains("40 frames without per-frame functional groups", multiFrame.Message);
    }

    [Fact]
    public void TheFramesOfAnEnhancedFileAreSlicesSortedByPositionAndNamedByFrame()
    {
        DicomSliceHeader Frame(int frame, double z) => Slice("enhanced.dcm", z) with { Frames = 4, Frame = frame };

        var series = DicomSeries.Build([Frame(0, 30), Frame(1, 10), Frame(2, 20), Frame(3, 0)]);
        var gap = Assert.Throws<MedSegException>(() => DicomSeries.Build([Frame(0, 0), Frame(1, 10), Frame(2, 30), Frame(3, 40)]));

        Assert.Equal([3, 1, 2, 0], series.Slices.Select(s => s.Frame!.Value));
        Assert.Equal(10, series.Geometry.Affine[2, 2], 12);
        Assert.Contains("/pacs/enhanced.dcm (frame 2) and /pacs/enhanced.dcm (frame 3)", gap.Message);
    }
}
