using MedSeg.Core.Inference;
using MedSeg.Core.Tuning;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.PostProcessing;
using MedSeg.Core.Synthetic;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Studies;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch;

/// <summary>
/// Training on every labelled case-day (<c>--folds 1</c>, nnU-Net's <c>all</c>) and the defaults that follow the data:
/// one labelled case trains with no flag at all, in 2d, 2.5d and 3d, predicts, is refused by tune and is compared.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class AllDataTrainingTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-alldata-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Only what a 2-core test needs to be quick; folds, val-every, arch and patch are left to their defaults.</summary>
    private static readonly TrainConfig Small = new()
    {
        Encoder = "resnet18",
        ImageSize = "64x64",
        Epochs = 2,
        BatchSize = 8,
        Lr = 3e-3,
        Loss = "dice",
        Seed = 7,
        Threads = 2,
    };

    [Fact]
    public void OneLabelledCaseTrainsWithDefaultsOnAllOfItAndKeepsTheLastEpoch()
    {
        var data = Synthesise(cases: 1, height: 64, width: 64);
        var runPath = Path.Combine(root, "run");
        var messages = new List<string>();
        var result = Trainer.Train(data, Small, runPath, new TrainingEvents { Message = messages.Add });

        Assert.False(result.HeldOut);
        Assert.Equal(Small.Epochs, result.BestEpoch);
        Assert.True(double.IsNaN(result.BestScore), "no validation was asked for, so there is no score");
        Assert.Contains(messages, m => m.Contains("--folds 1", StringComparison.Ordinal));
        var run = RunFolder.Load(runPath);
        Assert.Equal(1, run.Config.Folds);
        Assert.Equal(0, run.Config.ValEvery);
        Assert.Equal(RunInfo.NoValidation, run.Info.Validation);
        Assert.Empty(run.Info.ValidationCaseDays);
        Assert.Equal(data.CaseDays.Select(c => c.Id), run.Info.TrainCaseDays);
        Assert.Equal(File.ReadAllBytes(Path.Combine(runPath, RunFolder.LastModelFile)), File.ReadAllBytes(Path.Combine(runPath, RunFolder.BestModelFile)));
        Assert.False(Directory.Exists(Path.Combine(runPath, RunFolder.OutOfFoldFolder)), "a run without a held-out fold has no out-of-fold predictions");
        // No prediction to score: the post-processing was decided on the shapes of the one case's labels.
        var decision = ValidationPostProcessing.Read(runPath)!;
        Assert.True(decision.FromTrainingLabels);
        Assert.Equal(data.CaseDays.Count, decision.CaseDays);
        var truth = CaseDayMasks.Truth(data.CaseDays[0], data.Classes.Count);
        var shape = new[] { data.CaseDays[0].Slices.Count, data.CaseDays[0].Slices[0].Height, data.CaseDays[0].Slices[0].Width };
        var pieces = truth.Select(mask => { ConnectedComponents.Label(mask, shape, Connectivity.Full, out var sizes); return sizes.Length - 1; }).ToArray();
        Assert.Equal(pieces.Select(p => p == 1), decision.KeepLargest);
        Assert.Equal(pieces.Select(p => p > 0 ? 1 : 0), decision.Classes.Select(c => c.Cases));
        Assert.All(File.ReadAllLines(Path.Combine(runPath, RunFolder.LogFile)), line => Assert.DoesNotContain("\"validation\"", line, StringComparison.Ordinal));

        var error = Assert.Throws<MedSegException>(() => OutOfFoldTuning.Tune(runPath, data.Root));
        Assert.Contains("--folds 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("no out-of-fold", error.Message, StringComparison.Ordinal);

        var submission = Path.Combine(root, "submission.csv");
        SubmissionPredictor.Predict([runPath], null, data.Root, submission, new PredictOptions(), "cpu");
        Assert.Equal(data.SliceCount * data.Classes.Count, File.ReadAllLines(submission).Length - 1);
    }

    [Fact]
    public void AValidationAskedForWithFoldsOneRunsOnTheTrainingDataAndIsLabelledSo()
    {
        var data = Synthesise(cases: 2, height: 64, width: 64);
        var runPath = Path.Combine(root, "run");
        var result = Trainer.Train(data, Small with { Mode = "2.5d", Folds = 1, ValEvery = 1 }, runPath);

        Assert.False(result.HeldOut);
        Assert.Equal(Small.Epochs, result.BestEpoch);
        Assert.All(result.Epochs, e => Assert.Equal(FoldSplit.TrainingData, e.Validation));
        Assert.All(result.Epochs, e => Assert.InRange(e.ValScore, 0, 1));
        Assert.Equal(result.Epochs[^1].ValScore, result.BestScore);
        var run = RunFolder.Load(runPath);
        Assert.Equal(FoldSplit.TrainingData, run.Info.Validation);
        Assert.Equal(2, run.Info.TrainCaseDays.Count);
        Assert.All(File.ReadAllLines(Path.Combine(runPath, RunFolder.LogFile)), line => Assert.Contains("\"validation\":\"training-data\"", line, StringComparison.Ordinal));
    }

    [Fact]
    public void FewerCasesThanTheDefaultFoldsHoldOneCaseOutPerFold()
    {
        var data = Synthesise(cases: 2, height: 64, width: 64);
        var result = Trainer.Train(data, Small with { Epochs = 1 }, Path.Combine(root, "run"));

        Assert.True(result.HeldOut);
        var run = RunFolder.Load(Path.Combine(root, "run"));
        Assert.Equal(2, run.Config.Folds);
        Assert.Equal(FoldSplit.HeldOutFold, run.Info.Validation);
        Assert.Single(run.Info.TrainCaseDays.Select(id => id.Split('_')[0]).Distinct());
        Assert.NotEmpty(run.Info.ValidationCaseDays);
        Assert.Empty(run.Info.TrainCaseDays.Intersect(run.Info.ValidationCaseDays));
        // The held-out fold's predictions decided the post-processing that predict applies by default.
        var decision = ValidationPostProcessing.Read(run.Path)!;
        Assert.Equal(data.Classes, decision.Classes.Select(c => c.Class));
        Assert.Equal(run.Info.ValidationCaseDays.Count, decision.CaseDays);
    }

    [Fact]
    public void ThreeDModeAloneTrainsUnet3dOnAPatchThatFitsAnOddSizedVolume()
    {
        var data = Synthesise(cases: 1, height: 44, width: 58, slices: 12);
        var runPath = Path.Combine(root, "run");
        var config = new TrainConfig { Mode = "3d", Epochs = 1, BatchSize = 2, Features = 8, Levels = 2, Seed = 7, Threads = 2 };
        Trainer.Train(data, config, runPath);

        var run = RunFolder.Load(runPath);
        Assert.Equal("unet3d", run.Config.Arch);
        Assert.Equal("none", run.Config.Encoder);
        // Levels 2 halve once: every patch side is a multiple of 2, no larger than the 12×44×58 volume.
        Assert.Equal("12x44x58", run.Config.Patch);
        var submission = Path.Combine(root, "submission.csv");
        SubmissionPredictor.Predict([runPath], null, data.Root, submission, new PredictOptions(), "cpu");
        Assert.Equal(data.SliceCount * data.Classes.Count, File.ReadAllLines(submission).Length - 1);
    }

    [Fact]
    public void AVolumeThinnerThanTheNetworksSizeStepTrainsOnAPaddedDefaultPatch()
    {
        // Levels 3 halve twice: every patch side is a multiple of 4, so 3 slices give a default patch 4 deep (padded).
        var data = Synthesise(cases: 1, height: 36, width: 44, slices: 3);
        var runPath = Path.Combine(root, "run");
        Trainer.Train(data, new TrainConfig { Mode = "3d", Epochs = 1, BatchSize = 2, StepsPerEpoch = 2, Features = 8, Levels = 3, Seed = 7, Threads = 2 }, runPath);

        Assert.Equal("4x36x44", RunFolder.Load(runPath).Config.Patch);
        var submission = Path.Combine(root, "submission.csv");
        SubmissionPredictor.Predict([runPath], null, data.Root, submission, new PredictOptions(), "cpu");
        Assert.Equal(data.SliceCount * data.Classes.Count, File.ReadAllLines(submission).Length - 1);
        var error = Assert.Throws<MedSegException>(() => Trainer.Check(data, new TrainConfig { Mode = "3d", Patch = "8x36x44", Features = 8, Levels = 3 }));
        Assert.Contains("--patch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContradictionsTheUserWroteStayErrors()
    {
        var data = Synthesise(cases: 1, height: 64, width: 64);
        Assert.Contains("is 2D", Assert.Throws<MedSegException>(() => Trainer.Check(data, new TrainConfig { Mode = "3d", Arch = "unet" })).Message, StringComparison.Ordinal);
        Assert.Contains("needs at least 3 cases", Assert.Throws<MedSegException>(() => Trainer.Check(data, Small with { Folds = 3 })).Message, StringComparison.Ordinal);
        Assert.Contains("--patch", Assert.Throws<MedSegException>(() => Trainer.Check(data, new TrainConfig { Mode = "3d", Patch = "64x64x64" })).Message, StringComparison.Ordinal);
        Assert.Contains("--folds 1", Assert.Throws<MedSegException>(() => (Small with { Folds = 3, ValEvery = 0 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("--patience", Assert.Throws<MedSegException>(() => (Small with { Folds = 1, Patience = 2 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("at least 1", Assert.Throws<MedSegException>(() => (Small with { Folds = 0 }).Validate()).Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "run")));
    }

    [Fact]
    public void CompareOnOneCaseScoresEveryModeOnTheTrainingDataAndSaysSo()
    {
        var data = Synthesise(cases: 1, height: 64, width: 64, slices: 16);
        var options = new ModeComparisonOptions
        {
            Modes = ["2d", "3d"],
            Config = Small with { Epochs = 1, Features = 8, Levels = 2 },
        };
        var result = ModeComparison.Run(data, options, Path.Combine(root, "study"));

        Assert.False(result.Split.HeldOut);
        var json = File.ReadAllText(Path.Combine(root, "study", ModeComparison.ResultFile));
        Assert.Contains("\"validation\": \"training-data\"", json, StringComparison.Ordinal);
        Assert.All(result.Modes, m => Assert.InRange(m.Score.Score, 0, 1));
    }

    private UwMadisonDataset Synthesise(int cases, int height, int width, int slices = 16)
    {
        var folder = Path.Combine(root, $"data-{Guid.NewGuid():N}");
        UwMadisonSynth.Write(folder, new UwMadisonSynthOptions(Cases: cases, MaxDays: 1, Slices: slices, Height: height, Width: width, Seed: 3));
        return UwMadisonDataset.Load(folder);
    }
}
