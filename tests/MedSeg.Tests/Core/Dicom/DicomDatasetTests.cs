using System.Text.Json;
using MedSeg.Core.Data;
using MedSeg.Core.Inspection;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Dicom;

/// <summary>
/// DICOM through the dataset paths: <c>inspect</c> on a DICOM export (no patient tags unless asked), and an nnU-Net
/// dataset whose image is a DICOM series folder, read and preprocessed for training like a NIfTI one.
/// </summary>
public class DicomDatasetTests
{
    [DcmtkFact]
    public void InspectSummarisesEachSeriesAndPrintsPatientTagsOnlyWhenAsked()
    {
        using var folder = new TempFolder();
        new DicomSeriesWriter { Intercept = -1024, SeriesNumber = 4 }.Write(DicomFixtures.ObliqueCt(slices: 4), folder.Combine("export", "ct"));
        new DicomSeriesWriter { Modality = "MR", Slope = 0.5, SeriesNumber = 9 }.Write(DicomFixtures.NegativeDirectionCt(), folder.Combine("export", "mr"));

        var summary = DatasetInspector.Inspect(folder.Combine("export"));
        var json = JsonSerializer.Serialize(summary.ToJson());

        Assert.Equal(DatasetFormat.Dicom, summary.Format);
        Assert.Equal(["export_s4", "export_s9"], summary.Items.Select(i => i.Id));
        Assert.Equal([7, 5, 4], summary.Items[0].Shape);
        Assert.Equal([0.7, 0.9, 2.5], summary.Items[0].Spacing);
        Assert.Equal(-1024, summary.Items[0].Min);
        Assert.Equal(["CT", "MR"], summary.Items.Select(i => i.Modality));
        Assert.Equal(4 + 5, summary.Slices);
        foreach (var tag in new[] { "Doe", DicomSeriesWriter.PatientId, DicomSeriesWriter.BirthDate })
        {
            Assert.DoesNotContain(tag, json);
        }
        var shown = DatasetInspector.Inspect(folder.Combine("export"), showPatient: true);
        Assert.Equal(DicomSeriesWriter.PatientName, shown.Items[0].Patient!["name"]);
        Assert.Equal(DicomSeriesWriter.PatientId, shown.Items[1].Patient!["id"]);
        Assert.Equal(DicomSeriesWriter.BirthDate, shown.Items[1].Patient!["birth_date"]);
    }

    [DcmtkFact]
    public void AnNnUnetDatasetWithADicomSeriesFolderAsImageIsPreprocessedForTraining()
    {
        using var folder = new TempFolder();
        var root = folder.Combine("Dataset042_Dicom");
        var source = DicomFixtures.ObliqueCt(slices: 5);
        new DicomSeriesWriter { Intercept = -1024, ShuffleSeed = 1 }.Write(source, Path.Combine(root, "imagesTr", "case1_0000"));
        var labels = new Volume<ushort>(source.Geometry, source.Voxels.Select(v => (ushort)(v > 500 ? 1 : 0)).ToArray());
        Directory.CreateDirectory(Path.Combine(root, "labelsTr"));
        Nifti.WriteLabels(Path.Combine(root, "labelsTr", "case1.nii.gz"), labels);
        File.WriteAllText(Path.Combine(root, "dataset.json"),
            """{"channel_names": {"0": "CT"}, "labels": {"background": 0, "bone": 1}, "numTraining": 1, "file_ending": ".nii.gz"}""");

        var dataset = NnUnetDataset.Load(root);
        var (image, labelMap) = dataset.TrainingCases[0].Read();
        var slices = NnUnetSlices.Write(dataset, folder.Combine("preprocessed"));
        var inspected = DatasetInspector.Inspect(root);

        Assert.Equal(source.Voxels, image.Voxels);
        Assert.Equal(labels.Voxels, labelMap!.Voxels);
        Assert.Equal(5, slices.SliceCount);
        Assert.Equal(1, inspected.Positives[0]);
    }
}
