using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Torch;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Models;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch.Inference;

/// <summary><c>medseg predict</c> on nnU-Net-layout data writes NIfTI label maps on the input's grid, which <c>evaluate</c> reads back.</summary>
public sealed class LabelMapPredictorTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-labelmaps-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A run folder holding an untrained 2D network: prediction reads it like any trained run.</summary>
    internal static string UntrainedRun(string path, IReadOnlyList<string> classes)
    {
        var config = new TrainConfig { Encoder = "resnet18", ImageSize = "64x64", Precision = "fp32" };
        Directory.CreateDirectory(path);
        RunFolder.WriteJson(path, RunFolder.ConfigFile, config);
        RunFolder.WriteJson(path, RunFolder.InfoFile, UntrainedInfo(classes));
        using var model = ModelFactory.Create(config.Arch, config.Encoder, config.InChannels, classes.Count);
        RunFolder.SaveWeights(model, path, RunFolder.BestModelFile);
        return path;
    }

    /// <summary>The <c>run.json</c> of a run of <paramref name="classes"/> that never trained (no case-days).</summary>
    internal static RunInfo UntrainedInfo(IReadOnlyList<string> classes) => new()
    {
        Classes = classes,
        MedSegVersion = VersionInfo.MedSeg,
        TorchSharpVersion = VersionInfo.TorchSharp,
        LibTorchVersion = VersionInfo.LibTorch,
        Device = "cpu",
        TrainCaseDays = [],
        ValidationCaseDays = [],
    };

    private string Dataset()
    {
        NnUnetSynth.Write(root, new UwMadisonSynthOptions(Cases: 2, MaxDays: 1, Slices: 6, Height: 40, Width: 48, Seed: 2));
        return Path.Combine(root, NnUnetSynth.DatasetFolderName(NnUnetSynth.DefaultDatasetId));
    }

    [Fact]
    public void LabelMapsLieOnTheInputGridAndEvaluateReadsThem()
    {
        var dataset = Dataset();
        var run = UntrainedRun(Path.Combine(root, "run"), UwMadisonSynth.Classes);
        var output = Path.Combine(root, "pred");
        var result = LabelMapPredictor.Predict([run], null, dataset, output, new PredictOptions(Thresholds: [0.3]), "cpu");

        Assert.Equal(2, result.Cases);
        Assert.EndsWith("imagesTr", result.SourceFolder);
        foreach (var c in NnUnetDataset.Load(dataset).TrainingCases)
        {
            var image = Nifti.ReadHeader(c.ImagePaths[0]);
            var prediction = Nifti.Read(Path.Combine(output, c.Id + ".nii.gz"));
            Assert.Equal(image.Geometry.Shape, prediction.Header.Geometry.Shape);
            Assert.True(prediction.Header.Geometry.Matches(image.Geometry), "the label map's affine differs from the image's");
            Assert.Equal(NiftiDataType.UInt8, prediction.Header.DataType);
            Assert.True(prediction.ToLabels().Voxels.All(v => v <= 3));
        }
        var report = Evaluator.Load(output, dataset).Evaluate(new EvaluationOptions("dice"));
        Assert.Equal(2, report.PerCase.Count);
        Assert.Empty(Directory.EnumerateDirectories(output));
    }

    [Fact]
    public void RunClassesMustMatchTheDatasetLabels()
    {
        var dataset = Dataset();
        var run = UntrainedRun(Path.Combine(root, "run"), ["liver", "spleen", "kidney"]);
        var output = Path.Combine(root, "pred");
        var error = Assert.Throws<MedSegException>(() => LabelMapPredictor.Predict([run], null, dataset, output, new PredictOptions(), "cpu"));
        Assert.Contains("liver,spleen,kidney", error.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void AnExistingOutputIsNeverOverwritten()
    {
        var dataset = Dataset();
        var run = UntrainedRun(Path.Combine(root, "run"), UwMadisonSynth.Classes);
        var output = Path.Combine(root, "pred");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "mine.txt"), "keep");
        Assert.Throws<MedSegException>(() => LabelMapPredictor.Predict([run], null, dataset, output, new PredictOptions(), "cpu"));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(output, "mine.txt")));
    }
}
