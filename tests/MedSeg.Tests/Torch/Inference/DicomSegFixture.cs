using MedSeg.Core.Inference;
using MedSeg.Core.Dicom;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;
using MedSeg.Tests.Core.Dicom;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Inference;

namespace MedSeg.Tests.Torch.Inference;

/// <summary>
/// DICOM-SEGs written by <c>predict --format dicom-seg</c> for the independent checkers: one of a series of one file
/// per slice (series 3) and one of an Enhanced CT file of shuffled frames (series 4), both oblique CT from DCMTK, with
/// the NIfTI label maps of the same prediction beside them. Written on first use, so tests that are skipped cost nothing.
/// </summary>
public sealed class DicomSegFixture : IDisposable
{
    /// <summary>The run's classes, which the segments are named after.</summary>
    public static readonly string[] Classes = ["liver", "spleen"];

    private readonly TempFolder folder = new();
    private readonly Lazy<IReadOnlyList<Case>> cases;

    public DicomSegFixture() => cases = new(Predict, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The written segmentations, each with its source and the label map it encodes.</summary>
    internal IReadOnlyList<Case> Cases => cases.Value;

    public void Dispose() => folder.Dispose();

    private IReadOnlyList<Case> Predict()
    {
        var run = LabelMapPredictorTests.UntrainedRun(folder.Combine("run"), Classes);
        var study = folder.Combine("study");
        var slices = new DicomSeriesWriter { Intercept = -1024, ShuffleSeed = 3, SeriesNumber = 3 };
        slices.Write(DicomFixtures.ObliqueCt(slices: 5), Path.Combine(study, "slices"));
        var enhanced = new DicomSeriesWriter { Intercept = -1024, ShuffleSeed = 4, SeriesNumber = 4 };
        Directory.CreateDirectory(Path.Combine(study, "enhanced"));
        enhanced.WriteEnhanced(DicomFixtures.ObliqueCt(slices: 4), Path.Combine(study, "enhanced", "ct.dcm"));
        var options = new PredictOptions(Thresholds: [0.45, 0.55]);
        LabelMapPredictor.Predict([run], null, study, folder.Combine("nii"), options, "cpu");
        LabelMapPredictor.Predict([run], null, study, folder.Combine("seg"), options, "cpu", format: LabelMapFormat.DicomSeg);
        var series = DicomFolder.FindSeries(study);
        Case Read(string id, DicomSeriesWriter source) =>
            new(folder.Combine("seg", id + ".dcm"), source, series.Single(s => s.Uid == source.SeriesUid), Nifti.ReadLabels(folder.Combine("nii", id + ".nii.gz")));
        return [Read("study_s3", slices), Read("study_s4", enhanced)];
    }

    /// <summary>A segmentation, the writer of the series it segments, that series as MedSeg reads it, and the label map the SEG encodes.</summary>
    internal sealed record Case(string Seg, DicomSeriesWriter Source, DicomSeries Series, Volume<ushort> Labels)
    {
        /// <summary>The frames the SEG must hold: (segment, slice) for each class on each slice where it is present, in that order.</summary>
        public IReadOnlyList<(int Segment, int Z)> ExpectedFrames()
        {
            var plane = Labels.Shape.X * Labels.Shape.Y;
            var frames = new List<(int, int)>();
            for (var c = 1; c <= Classes.Length; c++)
            {
                for (var z = 0; z < Labels.Shape.Z; z++)
                {
                    if (Labels.Voxels.AsSpan(z * plane, plane).Contains((ushort)c))
                    {
                        frames.Add((c, z));
                    }
                }
            }
            return frames;
        }
    }
}
