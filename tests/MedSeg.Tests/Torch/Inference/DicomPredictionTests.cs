using MedSeg.Core.Inference;
using System.Text.RegularExpressions;
using MedSeg.Core;
using MedSeg.Core.Dicom;
using MedSeg.Core.IO;
using MedSeg.Tests.Core.Dicom;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Inference;

namespace MedSeg.Tests.Torch.Inference;

/// <summary>
/// <c>predict</c> on a DICOM series: a NIfTI label map on the series' grid by default, and with
/// <see cref="LabelMapFormat.DicomSeg"/> a DICOM Segmentation that DCMTK (independent) and GDCM's tools read back
/// with the same voxels, the source references and no patient tags.
/// </summary>
public sealed partial class DicomPredictionTests
{
    [DcmtkFact("gdcmraw")]
    public void APredictionOfADicomSeriesIsANiftiLabelMapOnItsGridOrADicomSegOfTheSameVoxels()
    {
        using var folder = new TempFolder();
        string[] classes = ["liver", "spleen"];
        var run = LabelMapPredictorTests.UntrainedRun(folder.Combine("run"), classes);
        var source = DicomFixtures.ObliqueCt(slices: 5);
        var writer = new DicomSeriesWriter { Intercept = -1024, ShuffleSeed = 3 };
        var files = writer.Write(source, folder.Combine("export", "ct"));
        var options = new PredictOptions(Thresholds: [0.45, 0.55]);

        var nifti = LabelMapPredictor.Predict([run], null, folder.Combine("export"), folder.Combine("nii"), options, "cpu");
        LabelMapPredictor.Predict([run], null, folder.Combine("export"), folder.Combine("seg"), options, "cpu", format: LabelMapFormat.DicomSeg);

        Assert.Equal(1, nifti.Cases);
        var labels = Nifti.ReadLabels(folder.Combine("nii", "export.nii.gz"));
        Assert.True(labels.Geometry.Matches(ImageFiles.ReadGeometry(folder.Combine("export", "ct")), 1e-4));
        var seg = folder.Combine("seg", "export.dcm");
        var dump = DicomSeriesWriter.Run("dcmdump", "-q", seg);
        Assert.Contains("=SegmentationStorage", dump);
        Assert.Contains("BINARY", dump);
        Assert.Contains("[liver]", dump);
        Assert.Contains("[spleen]", dump);
        Assert.Contains(writer.StudyUid + "]", dump);
        Assert.Contains(writer.SeriesUid + "]", dump);
        Assert.DoesNotContain("Doe", dump);
        Assert.DoesNotContain(DicomSeriesWriter.PatientId, dump);
        Assert.DoesNotContain(DicomSeriesWriter.BirthDate, dump);

        // Frames: each class (segment) on each slice where it is present, slices in volume order, one bit per pixel.
        var series = DicomFolder.SeriesAt(files[0]);
        var slice = labels.Shape.X * labels.Shape.Y;
        var expected = new List<bool>();
        var references = new List<string>();
        for (var c = 1; c <= classes.Length; c++)
        {
            for (var z = 0; z < labels.Shape.Z; z++)
            {
                var plane = labels.Voxels.AsSpan(z * slice, slice).ToArray();
                if (plane.Contains((ushort)c))
                {
                    expected.AddRange(plane.Select(v => v == c));
                    references.Add(series.Slices[z].SopInstanceUid);
                }
            }
        }
        Assert.NotEmpty(references);
        Assert.Equal($"[{references.Count}]", NumberOfFrames().Match(dump).Groups[1].Value);
        var raw = folder.Combine("pixels.raw");
        DicomSeriesWriter.Run("gdcmraw", "-i", seg, "-o", raw, "-t", "7fe0,0010");
        var bytes = File.ReadAllBytes(raw);
        Assert.Equal(expected, Enumerable.Range(0, expected.Count).Select(b => (bytes[b >> 3] >> (b & 7) & 1) == 1));
        // Each frame's source image (per-frame DerivationImageSequence) is the slice it lies on.
        var perFrame = dump[dump.IndexOf("PerFrameFunctionalGroupsSequence", StringComparison.Ordinal)..];
        Assert.Equal(references, SourceInstance().Matches(perFrame).Select(m => m.Groups[1].Value));
        Assert.Contains("segmentation", DicomSeriesWriter.Run("gdcminfo", seg), StringComparison.OrdinalIgnoreCase);
    }

    [DcmtkFact]
    public void DicomSegOfANiftiImageIsRefusedBeforeAnyWork()
    {
        using var folder = new TempFolder();
        var run = LabelMapPredictorTests.UntrainedRun(folder.Combine("run"), ["liver"]);
        Nifti.WriteImage(folder.Combine("ct.nii.gz"), DicomFixtures.ObliqueCt(slices: 2));

        var error = Assert.Throws<MedSegException>(() =>
            LabelMapPredictor.Predict([run], null, folder.Combine("ct.nii.gz"), folder.Combine("seg"), new PredictOptions(), "cpu", format: LabelMapFormat.DicomSeg));

        Assert.Contains("ct.nii.gz is a NIfTI image", error.Message);
        Assert.False(Directory.Exists(folder.Combine("seg")));
    }

    [GeneratedRegex(@"\(0028,0008\) IS (\[\d+\])")]
    private static partial Regex NumberOfFrames();

    [GeneratedRegex(@"\(0008,1155\) UI \[([0-9.]+)\]")]
    private static partial Regex SourceInstance();
}
