using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Dicom;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Dicom;

/// <summary>
/// DICOM series (one file per slice, or one enhanced multi-frame file) written by DCMTK from volumes of known geometry, read by MedSeg through GDCM: voxels, spacing and
/// affine equal the source to 1e-4, and agree with dcm2niix's NIfTI conversion; broken series are refused by name.
/// </summary>
public class DicomFolderTests
{
    [DcmtkFact]
    public void AnObliqueCtSeriesInShuffledFileOrderReadsAsTheSourceInHounsfieldUnits()
    {
        using var folder = new TempFolder();
        var source = DicomFixtures.ObliqueCt();
        new DicomSeriesWriter { Intercept = -1024, ShuffleSeed = 5 }.Write(source, folder.Combine("ct"));

        var read = ImageFiles.ReadImage(folder.Combine("ct"));

        DicomFixtures.AssertSameGrid(source, read);
        Assert.Equal(-1024, read.Voxels.Min());
    }

    [DcmtkFact]
    public void AnEnhancedMultiFrameObliqueCtWithShuffledFramesReadsAsTheSourceInHounsfieldUnits()
    {
        using var folder = new TempFolder();
        var source = DicomFixtures.ObliqueCt(slices: 7);
        Directory.CreateDirectory(folder.Combine("ct"));
        new DicomSeriesWriter { Intercept = -1024, ShuffleSeed = 11 }.WriteEnhanced(source, folder.Combine("ct", "enhanced.dcm"));

        var series = DicomFolder.SeriesAt(folder.Combine("ct"));
        var read = ImageFiles.ReadImage(folder.Combine("ct", "enhanced.dcm"));

        Assert.Equal(7, series.Slices.Count);
        Assert.All(series.Slices, s => Assert.Equal(7, s.Frames));
        Assert.NotEqual(Enumerable.Range(0, 7), series.Slices.Select(s => s.Frame!.Value));
        DicomFixtures.AssertSameGrid(source, read);
        Assert.Equal(-1024, read.Voxels.Min());
    }

    [DcmtkFact]
    public void AnEnhancedFileWithAMissingFrameIsRefusedNamingTheFrames()
    {
        using var folder = new TempFolder();
        var source = DicomFixtures.ObliqueCt(slices: 6);
        Directory.CreateDirectory(folder.Combine("ct"));
        var file = folder.Combine("ct", "enhanced.dcm");
        new DicomSeriesWriter { Omit = new HashSet<int> { 2 } }.WriteEnhanced(source, file);

        var error = Assert.Throws<MedSegException>(() => ImageFiles.ReadImage(file));

        Assert.Contains($"{file} (frame 2) and {file} (frame 3)", error.Message);
        Assert.Contains("missing", error.Message);
    }

    [DcmtkFact]
    public void ASeriesAgainstTheSliceNormalReadsInNormalOrderOnTheSameWorldGrid()
    {
        using var folder = new TempFolder();
        var source = DicomFixtures.NegativeDirectionCt();
        new DicomSeriesWriter { Intercept = -1024 }.Write(source, folder.Combine("ct"));

        var read = ImageFiles.ReadImage(folder.Combine("ct"));

        // Sorted along the normal, the slices come in reverse: k runs up (+3 mm), starting at the source's last slice.
        var s = source.Shape;
        var expected = Affine.FromRows([-0.8, 0, 0, 40, 0, -0.8, 0, 60, 0, 0, 3, 120 - 3 * (s.Z - 1)]);
        Assert.True(read.Affine.MaxDifference(expected) <= 1e-4, $"affine {read.Affine}, expected {expected}");
        Assert.Equal(source[2, 3, s.Z - 1], read[2, 3, 0]);
        DicomFixtures.AssertSameWorld(source, read);
    }

    [DcmtkFact]
    public void AJpegLsCompressedSeriesReadsAsTheUncompressedOne()
    {
        using var folder = new TempFolder();
        var source = DicomFixtures.ObliqueCt(slices: 3);
        var files = new DicomSeriesWriter { Intercept = -1024 }.Write(source, folder.Combine("raw"));
        Directory.CreateDirectory(folder.Combine("jls"));
        foreach (var file in files)
        {
            DicomSeriesWriter.Run("dcmcjpls", file, folder.Combine("jls", Path.GetFileName(file)));
        }
        Assert.Contains("JPEGLSLossless", DicomSeriesWriter.Run("dcmdump", "-s", "+P", "0002,0010", folder.Combine("jls", Path.GetFileName(files[0]))));

        Assert.Equal(source.Voxels, ImageFiles.ReadImage(folder.Combine("jls")).Voxels);
    }

    [DcmtkFact("dcm2niix")]
    public void MedSegAndDcm2niixReadTheSameImageOnTheSameWorldGrid()
    {
        using var folder = new TempFolder();
        var source = DicomFixtures.ObliqueCt();
        new DicomSeriesWriter { Intercept = -1024, ShuffleSeed = 9 }.Write(source, folder.Combine("ct"));
        Directory.CreateDirectory(folder.Combine("nii"));
        DicomSeriesWriter.Run("dcm2niix", "-z", "n", "-b", "n", "-f", "converted", "-o", folder.Combine("nii"), folder.Combine("ct"));

        var ours = ImageFiles.ReadImage(folder.Combine("ct"));
        var theirs = Nifti.ReadImage(folder.Combine("nii", "converted.nii"));

        Assert.Equal(ours.Spacing.ToArray(), theirs.Spacing.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-4);
        // dcm2niix stores its affine as float32 and flips rows; every voxel must still land on ours with our value.
        DicomFixtures.AssertSameWorld(ours, theirs, toleranceMm: 1e-3);
    }

    [DcmtkFact]
    public void AFolderOfSeveralSeriesGivesOneCasePerSeriesAndAFileNamesItsOwnSeries()
    {
        using var folder = new TempFolder();
        var ct = DicomFixtures.ObliqueCt(slices: 4);
        var files = new DicomSeriesWriter { Intercept = -1024, SeriesNumber = 2 }.Write(ct, folder.Combine("study", "a"));
        new DicomSeriesWriter { Intercept = -1024, SeriesNumber = 7 }.Write(DicomFixtures.NegativeDirectionCt(), folder.Combine("study", "b"));
        File.WriteAllText(folder.Combine("study", "README.txt"), "export notes");

        var set = NiftiImageSet.Load(folder.Combine("study"));

        Assert.Equal(["study_s2", "study_s7"], set.Cases.Select(c => c.Id));
        Assert.Equal(ct.Voxels, set.Cases[0].ReadImage().Voxels);
        Assert.Equal(ct.Voxels, ImageFiles.ReadImage(files[2]).Voxels);
        var error = Assert.Throws<MedSegException>(() => ImageFiles.ReadImage(folder.Combine("study")));
        Assert.Contains("2 DICOM series", error.Message);
    }

    [DcmtkFact]
    public void AMissingSliceAndAMixedOrientationAreRefusedNamingTheFile()
    {
        using var folder = new TempFolder();
        var source = DicomFixtures.ObliqueCt(slices: 6);
        var gap = new DicomSeriesWriter { Omit = new HashSet<int> { 3 } }.Write(source, folder.Combine("gap"));
        var mixed = new DicomSeriesWriter { OrientationOverride = k => k == 4 ? [1, 0, 0, 0, 1, 0] : null }.Write(source, folder.Combine("mixed"));

        var missing = Assert.Throws<MedSegException>(() => ImageFiles.ReadImage(folder.Combine("gap")));
        Assert.Contains($"{gap[2]} and {gap[3]}", missing.Message);
        Assert.Contains("missing", missing.Message);
        var orientation = Assert.Throws<MedSegException>(() => ImageFiles.ReadImage(folder.Combine("mixed")));
        Assert.Contains(mixed[4], orientation.Message);
        Assert.Contains("mixed orientations", orientation.Message);
    }
}
