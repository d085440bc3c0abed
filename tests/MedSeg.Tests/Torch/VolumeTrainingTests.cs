using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;
using MedSeg.Core.Synthetic;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;
using Xunit.Abstractions;

namespace MedSeg.Tests.Torch;

/// <summary>
/// A tiny 3D patch run on synthetic volumes learns, validates whole case-days through the sliding window, and
/// predicts as an ensemble member beside a 2D run. Sequential: libtorch's random generator is process-wide.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class VolumeTrainingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-3d-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    internal static readonly TrainConfig Tiny3D = new()
    {
        Mode = "3d",
        Arch = "unet3d",
        Encoder = "none",
        Patch = "8x32x32",
        Features = 8,
        Levels = 2,
        Epochs = 12,
        BatchSize = 2,
        Lr = 1e-2,
        Loss = "bce:0.5+dice:0.5",
        Folds = 4,
        Fold = "0",
        Seed = 3,
        Threads = 2,
        Precision = "fp32",
        // One pass per epoch, no augmentation, every epoch validated, pytorch-3dunet's blocks without deep supervision:
        // what these tests check predates those defaults.
        LayerOrder = "gcr",
        DeepSupervision = false,
        StepsPerEpoch = 0,
        Augment = DefaultAugmentation.None,
        ValEvery = 1,
    };

    private UwMadisonDataset Synthesise()
    {
        var folder = Path.Combine(root, "data");
        UwMadisonSynth.Write(folder, new UwMadisonSynthOptions(Cases: 4, MaxDays: 1, Slices: 16, Height: 64, Width: 64, Seed: 3));
        return UwMadisonDataset.Load(folder);
    }

    [Fact]
    public void LossFallsAndValidationBeatsAnEmptyPrediction()
    {
        var data = Synthesise();
        var run = Path.Combine(root, "run");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var liveTensors = new List<long>();
        var result = Trainer.Train(data, Tiny3D, run, new TrainingEvents
        {
            Step = (_, _, step, _, _) =>
            {
                if (step % 4 == 0)
                {
                    // Wrappers the GC has not finalised yet are not leaks: count what is really alive.
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    liveTensors.Add(TorchSharp.torch.Tensor.TotalCount);
                }
            },
        });
        var seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"tiny 3D run: {seconds:F1} s; best uwmgi score {result.BestScore:F4} (empty prediction: 0); "
            + string.Join("; ", result.Epochs.Select(e => $"epoch {e.Epoch} loss {e.TrainLoss:F3} dice {e.ValDice:F3} score {e.ValScore:F3}")));

        Assert.Equal(Tiny3D.Epochs, result.Epochs.Count);
        Assert.True(liveTensors[^1] <= liveTensors[1], $"live tensors grew from {liveTensors[1]} to {liveTensors[^1]} over the run's steps");
        Assert.True(result.Epochs[^1].TrainLoss < 0.8 * result.Epochs[0].TrainLoss,
            $"training loss should fall: {string.Join(", ", result.Epochs.Select(e => e.TrainLoss.ToString("F3")))}");
        var epochs = string.Join("; ", result.Epochs.Select(e => $"loss {e.TrainLoss:F3} dice {e.ValDice:F3} score {e.ValScore:F3}"));
        // An all-empty prediction scores 0: Dice 0 and HD 1 wherever there is truth.
        var validation = RunFolder.Load(run).Info.ValidationCaseDays.Single();
        var caseDay = data.CaseDays.Single(c => c.Id == validation);
        var empty = new UwMadisonScore(data.Classes);
        empty.Update(caseDay.Id, 16, 64, 64, [new byte[16 * 64 * 64], new byte[16 * 64 * 64], new byte[16 * 64 * 64]], CaseDayMasks.Truth(caseDay, 3));
        Assert.Equal(0, empty.Compute().Score, 6);
        Assert.True(result.BestScore > 0.4, $"validation uwmgi score should clearly beat 0 (empty): {epochs}");
        Assert.True(result.Epochs.Max(e => e.ValDice) > 0.15, $"validation Dice should clearly beat 0 (empty): {epochs}");
        Assert.True(seconds < 120, $"the tiny 3D run took {seconds:F0} s");

        // The run records the config it trained with, including the one default it filled: a 3D U-Net's gradient clip.
        Assert.Equal(Tiny3D with { GradClip = TrainingDefaults.VolumetricUNetGradClip }, RunFolder.Load(run).Config);
        var oof = ProbabilityMaps.Read(Path.Combine(run, RunFolder.OutOfFoldFolder), validation, 3, 16, 64, 64);
        Assert.All(oof, p => Assert.InRange(p.Max(), 0f, 1f));

        // Beside a 2D run, the 3D run's probabilities are blended in probability space with the given weights.
        var twoD = Inference.LabelMapPredictorTests.UntrainedRun(Path.Combine(root, "run2d"), data.Classes);
        var probabilities = new Dictionary<string, float[][]>();
        foreach (var (name, runs, weights) in new[] { ("2d", new[] { twoD }, (double[]?)null), ("3d", [run], null), ("both", [twoD, run], [0.6, 0.4]) })
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, "p" + name)).FullName;
            SubmissionPredictor.Predict(runs, weights, data.Root, Path.Combine(root, name + ".csv"), new PredictOptions(), "cpu", probabilitiesFolder: folder);
            probabilities[name] = ProbabilityMaps.Read(folder, validation, 3, 16, 64, 64);
        }
        for (var c = 0; c < 3; c++)
        {
            for (var v = 0; v < 16 * 64 * 64; v += 97)
            {
                Assert.Equal(0.6 * probabilities["2d"][c][v] + 0.4 * probabilities["3d"][c][v], probabilities["both"][c][v], 2e-3);
            }
        }
        Assert.Equal(data.SliceCount * 3 + 1, File.ReadAllLines(Path.Combine(root, "3d.csv")).Length);
    }

    [Fact]
    public void AFixedNumberOfStepsPerEpochDrawsPatchesBeyondOnePass()
    {
        var data = Synthesise();
        var epochs = new List<EpochRecord>();
        var steps = 0;
        Trainer.Train(data, Tiny3D with { Epochs = 2, StepsPerEpoch = 7, ValEvery = 2 }, Path.Combine(root, "run"), new TrainingEvents
        {
            Step = (_, _, _, _, _) => steps++,
            Epoch = epochs.Add,
        });
        // One pass would be 3 training volumes × 2×2 patches = 12 patches, 6 steps of 2; the option asks for 7 per epoch.
        Assert.Equal(14, steps);
        Assert.All(epochs, e => Assert.Equal(7 * Tiny3D.BatchSize, e.Samples));
        Assert.Contains("\"steps_per_epoch\": 7", File.ReadAllText(Path.Combine(root, "run", "config.json")));
    }

    [Fact]
    public void APatchLargerThanEveryVolumeFailsBeforeTraining()
    {
        var data = Synthesise();
        var run = Path.Combine(root, "run");
        var error = Assert.Throws<MedSegException>(() => Trainer.Train(data, Tiny3D with { Patch = "32x32x32" }, run));
        Assert.Contains("--patch 32x32x32", error.Message);
        Assert.False(Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any());
    }

    [Fact]
    public void APatchTheNetworkCannotTakeFailsBeforeTraining()
    {
        var data = Synthesise();
        var error = Assert.Throws<MedSegException>(() => Trainer.Train(data, Tiny3D with { Patch = "15x32x32" }, Path.Combine(root, "run")));
        Assert.Contains("--patch", error.Message);
    }

    [Fact]
    public void ThreeDModeNeedsAThreeDNetwork()
    {
        var error = Assert.Throws<MedSegException>(() => (Tiny3D with { Arch = "unet", Encoder = "resnet18" }).Validate());
        Assert.Contains("--arch", error.Message);
    }
}
