using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.IO;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch;

/// <summary>Ensemble weights tuned on out-of-fold predictions, written to a file predict uses.
/// Sequential: libtorch's random generator is process-wide.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class EnsembleTuningTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-ensemble-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void TunedEnsembleFileDrivesPrediction()
    {
        var data = TrainerTests.Synthesise(root);
        var (a, b) = (Path.Combine(root, "a"), Path.Combine(root, "b"));
        Trainer.Train(data, TrainerTests.Tiny with { Epochs = 2 }, a);
        Trainer.Train(data, TrainerTests.Tiny with { Epochs = 1, Loss = "bce" }, b);
        var file = Path.Combine(root, "ensembles", "e.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);

        var settings = OutOfFoldTuning.TuneEnsemble([a, b], data.Root, file);

        Assert.Equal(1, settings.Weights.Sum(), 9);
        Assert.True(settings.Score >= settings.DefaultScore, $"tuned {settings.Score} below equal weights {settings.DefaultScore}");
        Assert.Equal([Path.Combine("..", "a"), Path.Combine("..", "b")], settings.Models);
        var read = OutOfFoldTuning.ReadEnsemble(file);
        Assert.Equal([a, b], read.Models);
        Assert.Throws<MedSegException>(() => OutOfFoldTuning.TuneEnsemble([a, b], data.Root, file));

        // The ensemble file stands for its runs with its weights, thresholds and minimum pixel count.
        var fromFile = Path.Combine(root, "file.csv");
        var explicitly = Path.Combine(root, "explicit.csv");
        SubmissionPredictor.Predict([file], null, data.Root, fromFile, new PredictOptions(), "cpu");
        SubmissionPredictor.Predict([a, b], settings.Weights, data.Root, explicitly,
            new PredictOptions(Thresholds: settings.Thresholds, PostProcess: new MedSeg.Core.PostProcessing.PostProcessOptions { MinPixels = settings.MinPixels }), "cpu");
        Assert.Equal(SubmissionCsv.Read(explicitly), SubmissionCsv.Read(fromFile));
        var mixed = Assert.Throws<MedSegException>(() =>
            SubmissionPredictor.Predict([file, a], null, data.Root, Path.Combine(root, "mixed.csv"), new PredictOptions(), "cpu"));
        Assert.Contains("give it alone", mixed.Message);
    }
}
