using MedSeg.Core.Inference;
using MedSeg.Core.Data;
using MedSeg.Core.Synthetic;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;
using TorchSharp;

namespace MedSeg.Tests.Torch;

/// <summary>A tiny real training run on synthetic data: it must learn, and reproduce itself from the same seed.
/// Sequential: libtorch's random generator is process-wide, and parallel tests drawing from it would change the
/// weight initialisation these tests compare.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class TrainerTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-trainer-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    internal static readonly TrainConfig Tiny = new()
    {
        Encoder = "resnet18",
        ImageSize = "64x64",
        Epochs = 20,
        BatchSize = 8,
        Lr = 3e-3,
        Loss = "dice",
        Folds = 3,
        Fold = "0",
        Seed = 7,
        Threads = 2,
        // What these tests check (learning, resume, early stopping) predates the augmentation and validation defaults.
        Augment = DefaultAugmentation.None,
        ValEvery = 1,
    };

    [Fact]
    public void LossFallsAndValidationBeatsAnEmptyPrediction()
    {
        var data = Synthesise();
        var result = Trainer.Train(data, Tiny, Path.Combine(root, "run"));

        Assert.Equal(Tiny.Epochs, result.Epochs.Count);
        Assert.True(result.Epochs[^1].TrainLoss < 0.7 * result.Epochs[0].TrainLoss,
            $"training loss should fall: {string.Join(", ", result.Epochs.Select(e => e.TrainLoss.ToString("F3")))}");
        // An all-empty prediction has Dice 0 and HD 1 on every labelled pair/case-day: uwmgi score 0.
        Assert.True(result.BestScore > 0.5, $"validation uwmgi score {result.BestScore:F3} should clearly beat 0 (empty)");
        Assert.True(result.Epochs.Max(e => e.ValDice) > 0.3, "validation Dice should clearly beat 0 (empty)");
        foreach (var file in new[] { RunFolder.ConfigFile, RunFolder.InfoFile, RunFolder.BestModelFile, RunFolder.LastModelFile, RunFolder.LogFile, RunFolder.CurvesFile })
        {
            Assert.True(File.Exists(Path.Combine(root, "run", file)), $"run folder lacks {file}");
        }
        Assert.Equal(Tiny.Epochs, File.ReadAllLines(Path.Combine(root, "run", RunFolder.LogFile)).Length);

        var run = RunFolder.Load(Path.Combine(root, "run"));
        Assert.Equal(Tiny, run.Config);
        Assert.Equal(data.Classes, run.Info.Classes);
        Assert.Empty(run.Info.TrainCaseDays.Intersect(run.Info.ValidationCaseDays));
    }

    [Fact]
    public void A25DRunOnSliceStacksLearns()
    {
        var data = Synthesise();
        var config = Tiny with { Mode = "2.5d", InSlices = 3, SliceStride = 2, Epochs = 12 };
        var result = Trainer.Train(data, config, Path.Combine(root, "run"));

        Assert.True(result.Epochs[^1].TrainLoss < 0.7 * result.Epochs[0].TrainLoss,
            $"training loss should fall: {string.Join(", ", result.Epochs.Select(e => e.TrainLoss.ToString("F3")))}");
        Assert.True(result.BestScore > 0.4, $"validation uwmgi score {result.BestScore:F3} should clearly beat 0 (empty)");
        Assert.Equal(3, RunFolder.Load(Path.Combine(root, "run")).Config.InChannels);
    }

    [Fact]
    public void SameSeedGivesTheSameNumbers()
    {
        var data = Synthesise();
        var config = Tiny with { Epochs = 1 };
        var first = Trainer.Train(data, config, Path.Combine(root, "a"));
        var second = Trainer.Train(data, config, Path.Combine(root, "b"));
        Assert.Equal(first.Epochs[0].TrainLoss, second.Epochs[0].TrainLoss);
        Assert.Equal(first.Epochs[0].ValScore, second.Epochs[0].ValScore);
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "a", RunFolder.LastModelFile)), File.ReadAllBytes(Path.Combine(root, "b", RunFolder.LastModelFile)));
    }

    [Fact]
    public void ResumedRunEqualsTheUninterruptedOneBitwise()
    {
        var data = Synthesise();
        var config = Tiny with { Epochs = 3, Ema = 0.9, Schedule = "onecycle", Accumulate = 2, BatchSize = 4, GradClip = 1.0 };
        var whole = Trainer.Train(data, config, Path.Combine(root, "whole"));

        var interrupted = Path.Combine(root, "interrupted");
        Assert.Throws<OperationCanceledException>(() => Trainer.Train(data, config, interrupted, new TrainingEvents
        {
            Epoch = r => { if (r.Epoch == 1) throw new OperationCanceledException("simulated crash after epoch 1"); },
        }));
        var resumed = Trainer.Resume(data, interrupted);

        Assert.Equal(whole.Epochs.Select(e => (e.TrainLoss, e.ValScore, e.Lr)), resumed.Epochs.Select(e => (e.TrainLoss, e.ValScore, e.Lr)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "whole", RunFolder.LastModelFile)),
            File.ReadAllBytes(Path.Combine(interrupted, RunFolder.LastModelFile)));
        Assert.Equal(File.ReadAllLines(Path.Combine(root, "whole", RunFolder.LogFile)).Length,
            File.ReadAllLines(Path.Combine(interrupted, RunFolder.LogFile)).Length);
    }

    [Fact]
    public void EarlyStoppingEndsARunThatStopsImproving()
    {
        var data = Synthesise();
        // A learning rate far too high wrecks the weights after the first epochs, so the score stops improving and
        // patience 1 ends the run one epoch after its best.
        var result = Trainer.Train(data, Tiny with { Epochs = 6, Lr = 5.0, Schedule = "constant", Patience = 1 }, Path.Combine(root, "run"));
        Assert.True(result.Epochs.Count < 6, $"ran all {result.Epochs.Count} epochs");
        Assert.Equal(result.BestEpoch + 1, result.Epochs[^1].Epoch);
    }

    [Fact]
    public void FoldAllTrainsEveryFoldAndPredictsWithAllOfThem()
    {
        var data = Synthesise();
        var run = Path.Combine(root, "run");
        var result = Trainer.Train(data, Tiny with { Epochs = 1, Fold = "all" }, run);
        var folds = RunFolder.Expand(run);
        Assert.Equal(Enumerable.Range(0, 3).Select(k => Path.Combine(run, $"fold_{k}")), folds);
        var validated = folds.SelectMany(f => RunFolder.Load(f).Info.ValidationCaseDays).ToArray();
        Assert.Equal(data.CaseDays.Select(c => c.Id).Order(), validated.Order());
        Assert.True(double.IsFinite(result.BestScore));

        var csv = Path.Combine(root, "sub.csv");
        var rows = SubmissionPredictor.Predict([run], null, data.Root, csv, new PredictOptions(), "cpu");
        Assert.Equal(data.SliceCount * data.Classes.Count, rows);
    }

    [Fact]
    public void Float16TrainingScalesTheLossAndKeepsTheScaleInTheResumePoint()
    {
        var data = Synthesise();
        var run = Path.Combine(root, "run");
        var result = Trainer.Train(data, Tiny with { Epochs = 2, Precision = "fp16" }, run);

        Assert.All(result.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && double.IsFinite(e.ValScore), $"epoch {e.Epoch}: loss {e.TrainLoss}, score {e.ValScore}"));
        Assert.True(result.Epochs[1].TrainLoss < result.Epochs[0].TrainLoss, "fp16 training loss should fall");
        var state = System.Text.Json.JsonSerializer.Deserialize<TrainingState>(
            File.ReadAllText(Path.Combine(run, Checkpoint.Folder, "state.json")), TrainConfig.Json)!;
        Assert.True(state.LossScale is > 0 and <= LossScaler.InitialScale, $"loss scale {state.LossScale}");
    }

    [Fact]
    public void RefusesARunFolderThatHoldsFiles()
    {
        var data = Synthesise();
        var run = Path.Combine(root, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "notes.txt"), "mine");
        var error = Assert.Throws<MedSeg.Core.MedSegException>(() => Trainer.Train(data, Tiny, run));
        Assert.Contains(run, error.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(run, "notes.txt")));
    }

    private UwMadisonDataset Synthesise() => Synthesise(root);

    internal static UwMadisonDataset Synthesise(string root)
    {
        var folder = Path.Combine(root, $"data-{Guid.NewGuid():N}");
        UwMadisonSynth.Write(folder, new UwMadisonSynthOptions(Cases: 3, MaxDays: 2, Slices: 32, Height: 64, Width: 64, Seed: 3));
        return UwMadisonDataset.Load(folder);
    }
}
