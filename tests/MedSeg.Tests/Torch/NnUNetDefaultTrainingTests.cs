using MedSeg.Core.Inference;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Models.Volumetric;
using MedSeg.Torch.Training;
using Xunit.Abstractions;

namespace MedSeg.Tests.Torch;

/// <summary>
/// A tiny 3D run that leaves the network choices to the defaults gets nnU-Net's (conv → InstanceNorm → LeakyReLU,
/// deep supervision, 2 patches a step), records them, learns, and predicts with the main head alone; the same
/// seed gives the same losses. Sequential: libtorch's random generator is process-wide.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class NnUNetDefaultTrainingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-nnunet3d-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Only what the tiny data and a test's time need; layer order, deep supervision, batch and augmentation are the defaults.</summary>
    private static readonly TrainConfig Defaults3D = new()
    {
        Mode = "3d",
        Patch = "8x32x32",
        Features = 4,
        Levels = 4,
        Epochs = 3,
        StepsPerEpoch = 8,
        Folds = 1,
        Seed = 5,
        Threads = 2,
        Precision = "fp32",
    };

    [Fact]
    public void ADefaultThreeDRunTrainsDeepSupervisedNnUNetBlocksAndPredicts()
    {
        var folder = Path.Combine(root, "data");
        UwMadisonSynth.Write(folder, new UwMadisonSynthOptions(Cases: 1, MaxDays: 1, Slices: 16, Height: 64, Width: 64, Seed: 3));
        var data = UwMadisonDataset.Load(folder);
        var first = Trainer.Train(data, Defaults3D, Path.Combine(root, "run"));
        output.WriteLine(string.Join("; ", first.Epochs.Select(e => $"epoch {e.Epoch} loss {e.TrainLoss:F4} ({e.Samples} patches)")));

        var saved = RunFolder.Load(Path.Combine(root, "run")).Config;
        Assert.Equal((LayerOrder.NnUNet, true, TrainConfig.DefaultVolumetricBatch), (saved.LayerOrder, saved.DeepSupervision, saved.BatchSize));
        using (var network = TrainingNetworks.Create(saved, data.Classes.Count))
        {
            Assert.Equal(2, ((MedSeg.Torch.Models.IDeepSupervisedModel)network).DeepSupervisionOutputs);
        }
        Assert.All(first.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss)));
        Assert.True(first.Epochs[^1].TrainLoss < first.Epochs[0].TrainLoss,
            $"the loss should fall: {string.Join(", ", first.Epochs.Select(e => e.TrainLoss.ToString("F4")))}");

        var again = Trainer.Train(data, Defaults3D, Path.Combine(root, "run2"));
        Assert.Equal(first.Epochs.Select(e => e.TrainLoss), again.Epochs.Select(e => e.TrainLoss));

        var probabilities = Directory.CreateDirectory(Path.Combine(root, "probabilities")).FullName;
        SubmissionPredictor.Predict([Path.Combine(root, "run")], null, data.Root, Path.Combine(root, "pred.csv"), new PredictOptions(), "cpu",
            probabilitiesFolder: probabilities);
        Assert.Equal(data.SliceCount * data.Classes.Count + 1, File.ReadAllLines(Path.Combine(root, "pred.csv")).Length);
        var maps = ProbabilityMaps.Read(probabilities, data.CaseDays.Single().Id, data.Classes.Count, 16, 64, 64);
        Assert.All(maps, p => Assert.InRange(p.Max(), 0f, 1f));
    }
}
