using MedSeg.Core.Inference;
using System.Diagnostics;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Synthetic;
using MedSeg.Torch.Inference;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Training;
using Xunit.Abstractions;

namespace MedSeg.Tests.Torch;

/// <summary>
/// The nnU-Net loop: <c>train --data DatasetNNN_X</c> (preprocessed into the run folder) → <c>predict</c> NIfTI label
/// maps on the input grid → <c>evaluate</c> against labelsTr. Sequential: libtorch's random generator is process-wide.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class NnUnetTrainingTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder temp = new();

    private string Root => temp.Path;

    public void Dispose() => temp.Dispose();

    private string Synthesise(UwMadisonSynthOptions options)
    {
        NnUnetSynth.Write(Root, options);
        return Path.Combine(Root, NnUnetSynth.DatasetFolderName(NnUnetSynth.DefaultDatasetId));
    }

    private static string[] Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void A2DRunLearnsAndItsLabelMapsEvaluateAgainstLabelsTr()
    {
        var dataset = Synthesise(new UwMadisonSynthOptions(Cases: 3, MaxDays: 2, Slices: 32, Height: 64, Width: 64, Seed: 3));
        var before = Files(dataset);
        var run = Path.Combine(Root, "run");
        var config = TrainerTests.Tiny with { Epochs = 10 };
        var messages = new List<string>();
        var clock = Stopwatch.StartNew();
        var result = Trainer.Train(dataset, config, run, new TrainingEvents { Message = messages.Add });
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var epochs = string.Join("; ", result.Epochs.Select(e => $"loss {e.TrainLoss:F3} dice {e.ValDice:F3} score {e.ValScore:F3}"));
        output.WriteLine($"{messages[0]}; training {trainSeconds:F1} s; {epochs}");

        Assert.Equal(before, Files(dataset));
        Assert.True(File.Exists(Path.Combine(run, RunFolder.PreprocessedFolder, NnUnetSlices.RecordFile)));
        var info = RunFolder.Load(run).Info;
        Assert.Equal(IntensityMapping.PerVolumeRule, info.Intensity);
        Assert.Equal(NnUnetDataset.Load(dataset).Classes, info.Classes);
        Assert.True(result.Epochs.Max(e => e.ValDice) > 0.2, $"validation Dice should clearly beat 0 (empty): {epochs}");

        var predictions = Path.Combine(Root, "pred");
        var written = LabelMapPredictor.Predict([run], null, dataset, predictions, new PredictOptions(), "cpu");
        var cases = NnUnetDataset.Load(dataset).TrainingCases;
        Assert.Equal(cases.Count, written.Cases);
        foreach (var c in cases)
        {
            var image = Nifti.ReadHeader(c.ImagePaths[0]).Geometry;
            var labels = Nifti.Read(Path.Combine(predictions, c.Id + ".nii.gz")).Header.Geometry;
            Assert.Equal(image.Shape, labels.Shape);
            Assert.True(labels.Matches(image), $"the label map of {c.Id} is not on its image's grid");
        }
        var report = Evaluator.Load(predictions, dataset).Evaluate(new EvaluationOptions("dice"));
        output.WriteLine($"evaluate: Dice {report.Overall.Dice:F3} over {report.PerCase.Count} cases");
        Assert.True(report.Overall.Dice > 0.3, $"Dice of the label maps against labelsTr {report.Overall.Dice:F3} should clearly beat 0");

        // Resuming a finished run reads the preprocessed folder again instead of rewriting it.
        var preprocessed = Files(Path.Combine(run, RunFolder.PreprocessedFolder)).Select(File.GetLastWriteTimeUtc).ToArray();
        var resumed = Trainer.Resume(dataset, run);
        Assert.Equal(result.BestEpoch, resumed.BestEpoch);
        Assert.Equal(preprocessed, Files(Path.Combine(run, RunFolder.PreprocessedFolder)).Select(File.GetLastWriteTimeUtc));
    }

    [Fact]
    public void A3DRunOnNnUnetDataStartsAndValidates()
    {
        var dataset = Synthesise(new UwMadisonSynthOptions(Cases: 3, MaxDays: 1, Slices: 16, Height: 64, Width: 64, Seed: 3));
        var run = Path.Combine(Root, "run3d");
        var result = Trainer.Train(dataset, VolumeTrainingTests.Tiny3D with { Epochs = 2, Folds = 3 }, run);

        Assert.Equal(2, result.Epochs.Count);
        Assert.All(result.Epochs, e => Assert.InRange(e.ValScore, 0, 1));
        Assert.Equal(IntensityMapping.PerVolumeRule, RunFolder.Load(run).Info.Intensity);
    }

    [Fact]
    public void ADatasetWithAMissingChannelFileLeavesNoRunFolder()
    {
        var dataset = Path.Combine(Root, "Dataset009_Two");
        var info = new NnUnetDatasetInfo(["T1", "T2"], ["background", "organ"], 0);
        using (var writer = new NnUnetDatasetWriter(dataset, info))
        {
            var grid = new MedSeg.Core.Volumes.VolumeGeometry(new MedSeg.Core.Volumes.VolumeShape(8, 8, 4), MedSeg.Core.Volumes.Affine.Identity);
            writer.AddCase("a", new MedSeg.Core.Volumes.Volume<float>(grid, 2), new MedSeg.Core.Volumes.Volume<ushort>(grid));
            writer.Commit();
        }
        var missing = Path.Combine(dataset, "imagesTr", "a_0001.nii.gz");
        File.Delete(missing);
        var run = Path.Combine(Root, "run");
        var error = Assert.Throws<MedSegException>(() => Trainer.Train(dataset, TrainerTests.Tiny, run));
        Assert.Contains(missing, error.Message);
        Assert.False(Directory.Exists(run));
    }
}
