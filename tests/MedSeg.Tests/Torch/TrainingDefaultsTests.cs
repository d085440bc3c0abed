using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Core.Augmentations;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch;

/// <summary>
/// The training defaults of issue 12: the mode's augmentation written into config.json (and <c>none</c>), mirroring
/// only along declared axes with TTA to match, the 3D steps per epoch, validation every N epochs and the time budget
/// that keeps room for the final validation. Sequential: libtorch's random generator is process-wide.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class TrainingDefaultsTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-defaults-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A quick 2D run; augmentation, mirroring, steps and validation are left to each test.</summary>
    private static readonly TrainConfig Quick = new()
    {
        Encoder = "resnet18",
        ImageSize = "64x64",
        Epochs = 1,
        BatchSize = 4,
        Lr = 3e-3,
        Loss = "dice",
        Seed = 5,
        Threads = 2,
        StepsPerEpoch = 2,
    };

    [Fact]
    public void TheModesDefaultPipelineIsWrittenToConfigAndNoneTurnsItOff()
    {
        var data = Synthesise(cases: 1);
        var messages = new List<string>();
        Trainer.Train(data, Quick, Path.Combine(root, "default"), new TrainingEvents { Message = messages.Add });
        var run = RunFolder.Load(Path.Combine(root, "default"));

        Assert.NotNull(run.Config.Augment);
        foreach (var name in new[] { "shift_scale_rotate", "elastic", "gaussian_noise", "gaussian_blur", "brightness_contrast", "lowres", "gamma" })
        {
            Assert.Contains($"\"name\": \"{name}\"", run.Config.Augment, StringComparison.Ordinal);
        }
        Assert.Equal(DefaultAugmentation.For("2d").ToJson(), run.Config.AugmentationPipeline().ToJson());
        Assert.Empty(run.Config.AugmentationPipeline().FlipAxes);
        Assert.Contains(messages, m => m.StartsWith("augmentation: the 2d default", StringComparison.Ordinal));

        Trainer.Train(data, Quick with { Augment = DefaultAugmentation.None }, Path.Combine(root, "none"));
        var plain = RunFolder.Load(Path.Combine(root, "none"));
        Assert.Equal(DefaultAugmentation.None, plain.Config.Augment);
        Assert.Empty(plain.Config.AugmentationPipeline().Transforms);
        Assert.Empty(DefaultAugmentation.Parse("[]", "3d").Transforms);
        Assert.Contains("\"shift\": [\n      0,\n      0\n    ]", DefaultAugmentation.For("3d").ToJson().Replace("\r\n", "\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void MirrorAxesAreRecordedAndTtaUsesOnlyTheTrainedFlips()
    {
        var data = Synthesise(cases: 1);
        var mirrored = Path.Combine(root, "mirrored");
        Trainer.Train(data, Quick with { MirrorAxes = "h" }, mirrored);

        Assert.Contains("\"mirror_axes\": \"h\"", File.ReadAllText(Path.Combine(mirrored, RunFolder.ConfigFile)), StringComparison.Ordinal);
        var trained = RunFolder.Load(mirrored).Config.AugmentationPipeline();
        var plain = Quick.AugmentationPipeline();
        Assert.Equal([FlipAxis.Horizontal], trained.FlipAxes);
        Assert.Equal([TtaView.Identity, new TtaView(true, 0)], TtaView.For("auto", trained));
        Assert.Equal([TtaView.Identity], TtaView.For("auto", plain));
        Assert.Null(TtaView.UntrainedWarning("flip", trained, mirrored));
        Assert.Null(TtaView.UntrainedWarning("auto", plain, "run"));
        Assert.Contains("not trained with the view flip,", TtaView.UntrainedWarning("flip", plain, "run"), StringComparison.Ordinal);

        // Forced views the run never saw (quarter turns) are used, with a warning that names the run.
        var messages = new List<string>();
        SubmissionPredictor.Predict([mirrored], null, data.Root, Path.Combine(root, "rot90.csv"), new PredictOptions(Tta: "rot90"), "cpu", message: messages.Add);
        var warning = Assert.Single(messages, m => m.StartsWith("warning: --tta rot90", StringComparison.Ordinal));
        Assert.Contains(mirrored, warning, StringComparison.Ordinal);
        Assert.Contains("rot90, rot180, rot270", warning, StringComparison.Ordinal);
        Assert.Contains("--tta auto", warning, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "rot90.csv")));
    }

    [Theory]
    [InlineData("x", "2d", "'x' is not an axis")]
    [InlineData("h,d", "2.5d", "d mirrors the slices of a 3D patch")]
    public void AMirrorAxisThatDoesNotExistIsOneErrorNamingTheOption(string axes, string mode, string problem)
    {
        var error = Assert.Throws<MedSegException>(() => (Quick with { Mode = mode, MirrorAxes = axes }).Validate());
        Assert.StartsWith($"--mirror-axes {axes}", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal([FlipAxis.Horizontal, FlipAxis.Vertical, FlipAxis.Depth], DefaultAugmentation.MirrorAxes("h, v,d,h", "3d"));
    }

    [Fact]
    public void DefaultThreeDPatchAugmentationKeepsImageAndLabelAligned()
    {
        // The label is the image thresholded at half its value; after the default 3D pipeline (spatial and intensity
        // transforms, all with one draw) it must still be, up to the few voxels that interpolation blurs at the edge.
        var pipeline = DefaultAugmentation.For("3d");
        var moved = 0;
        for (var seed = 0; seed < 24; seed++)
        {
            var patch = MarkedSample.Volume(1, SpatialShape.Volume(4, 48, 40), 0, 4, 10, 38, 8, 30);
            var augmented = pipeline.Apply(patch, new DeterministicRandom(11, seed));
            Assert.Equal(patch.Shape, augmented.Shape);
            Assert.All(augmented.Mask, v => Assert.True(v is 0 or 1));
            Assert.True(MarkedSample.Overlap(augmented, 0) > 0.85, $"seed {seed}: image and label overlap {MarkedSample.Overlap(augmented, 0):F3}");
            Assert.Equal(augmented.Image, pipeline.Apply(patch, new DeterministicRandom(11, seed)).Image);
            moved += augmented.Mask.SequenceEqual(patch.Mask) ? 0 : 1;
        }
        Assert.InRange(moved, 3, 23);
    }

    [Fact]
    public void ThreeDEpochsTakeAFixedNumberOfStepsUnlessGivenAndTwoDKeepsOnePass()
    {
        var messages = new List<string>();
        var threeD = new TrainConfig { Mode = "3d", BatchSize = 2 };
        var fitted = TrainingDefaults.FitSteps(threeD, samples: 4, messages.Add);
        Assert.Equal(25, fitted.StepsPerEpoch);
        Assert.Contains("--steps-per-epoch 25", Assert.Single(messages), StringComparison.Ordinal);
        Assert.Equal(7, TrainingDefaults.FitSteps(threeD with { BatchSize = 8 }, samples: 4).StepsPerEpoch);
        Assert.Equal(0, TrainingDefaults.FitSteps(threeD, samples: 200).StepsPerEpoch);
        Assert.Equal(3, TrainingDefaults.FitSteps(threeD with { StepsPerEpoch = 3 }, samples: 4).StepsPerEpoch);
        Assert.Equal(0, TrainingDefaults.FitSteps(threeD with { StepsPerEpoch = 0 }, samples: 4).StepsPerEpoch);
        Assert.Equal(0, TrainingDefaults.FitSteps(new TrainConfig { Mode = "2d" }, samples: 16).StepsPerEpoch);
        Assert.Equal(2, new TrainConfig { Epochs = 10, Folds = 5 }.ValEvery);
        Assert.Equal(1, new TrainConfig { Epochs = 3, Folds = 5 }.ValEvery);
        Assert.Equal(0, new TrainConfig { Epochs = 10, Folds = 1 }.ValEvery);
    }

    [Fact]
    public void ValEveryValidatesOnItsEpochsAndAtTheEnd()
    {
        var data = Synthesise(cases: 2);
        var result = Trainer.Train(data, Quick with { Epochs = 3, ValEvery = 2, StepsPerEpoch = 1, Augment = DefaultAugmentation.None }, Path.Combine(root, "run"));
        Assert.Equal([2, 3], result.Epochs.Where(e => !double.IsNaN(e.ValScore)).Select(e => e.Epoch));
        Assert.Equal(3, result.Epochs.Count);
    }

    [Fact]
    public void MaxMinutesStopsInTimeForTheFinalValidation()
    {
        var data = Synthesise(cases: 2);
        const double minutes = 0.4;
        var messages = new List<string>();
        var config = Quick with { Epochs = 500, ValEvery = 1, StepsPerEpoch = 4, MaxMinutes = minutes, Augment = DefaultAugmentation.None };
        var result = Trainer.Train(data, config, Path.Combine(root, "run"), new TrainingEvents { Message = messages.Add });

        Assert.InRange(result.Epochs.Count, 1, 499);
        var last = result.Epochs[^1];
        Assert.False(double.IsNaN(last.ValScore), "the epoch the time limit ends is validated");
        // Every epoch's seconds include its validation. The run keeps the longest validation so far free, so on a loaded
        // machine it may overrun by a step it misjudged and by how much a validation outgrew the longest before it.
        var stepSeconds = result.Epochs.Max(e => e.TrainSeconds / config.StepsPerEpoch);
        var closing = result.Epochs.Select(e => e.Seconds - e.TrainSeconds).ToArray();
        var spent = result.Epochs.Sum(e => e.Seconds);
        var slack = 2 * stepSeconds + Math.Max(0, closing[^1] - closing.SkipLast(1).DefaultIfEmpty(0).Max());
        Assert.True(spent <= minutes * 60 + slack, $"{spent:F1} s spent for a {minutes * 60} s budget (step {stepSeconds:F2} s, closings {string.Join(", ", closing.Select(c => c.ToString("F1")))} s)");
        Assert.Contains(messages, m => m.StartsWith("--max-minutes 0.4: stopped after step", StringComparison.Ordinal));
    }

    [Fact]
    public void AMaxMinutesBudgetWithoutEpochsPlansTheEpochsThatFitAndTheScheduleSpansThem()
    {
        var data = Synthesise(cases: 1);
        const double minutes = 0.35;
        var messages = new List<string>();
        var config = new TrainConfig
        {
            Encoder = "resnet18", ImageSize = "64x64", BatchSize = 4, Lr = 3e-3, Loss = "dice", Seed = 5, Threads = 2,
            StepsPerEpoch = 2, MaxMinutes = minutes, Augment = DefaultAugmentation.None,
        };
        Assert.False(config.EpochsGiven);
        var result = Trainer.Train(data, config, Path.Combine(root, "run"), new TrainingEvents { Message = messages.Add });

        var plan = Assert.Single(messages, m => m.Contains("and no --epochs:", StringComparison.Ordinal));
        var planned = int.Parse(plan.Split(": ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        // The plan follows this machine's pace (2 small steps an epoch: dozens of epochs on an idle one, a few under load).
        Assert.InRange(planned, 2, 10_000);
        var saved = RunFolder.Load(Path.Combine(root, "run")).Config;
        Assert.True(saved.EpochsGiven);
        Assert.Equal(planned, saved.Epochs);
        Assert.InRange(result.Epochs.Count, 2, planned);
        var stepSeconds = result.Epochs.Max(e => e.TrainSeconds / 2);
        Assert.True(result.Epochs.Sum(e => e.Seconds) <= (minutes * 60) + (3 * stepSeconds) + 5, $"{plan}: {result.Epochs.Sum(e => e.Seconds):F1} s spent");
        if (result.Epochs.Count == planned)
        {
            Assert.True(result.Epochs[^1].Lr < 0.05 * config.Lr, $"the cosine schedule ends near 0 on the planned last epoch: {result.Epochs[^1].Lr}");
        }
    }

    [Fact]
    public void LabelMapsGetTheirOwnLossUnlessOneIsGiven()
    {
        Assert.False(new TrainConfig().LossGiven);
        Assert.Equal(TrainConfig.DefaultLoss, new TrainConfig().Loss);
        Assert.Equal(TrainingDefaults.LabelMapLoss, TrainingDefaults.FitLoss(new TrainConfig(), labelMaps: true).Loss);
        Assert.Equal(TrainingDefaults.LabelMapLoss, TrainingDefaults.FitLoss(new TrainConfig { Mode = "3d" }, labelMaps: true).Loss);
        Assert.Equal(TrainConfig.DefaultLoss, TrainingDefaults.FitLoss(new TrainConfig(), labelMaps: false).Loss);
        Assert.Equal("dice", TrainingDefaults.FitLoss(new TrainConfig { Loss = "dice" }, labelMaps: true).Loss);
        Assert.Equal(TrainConfig.DefaultLoss, TrainingDefaults.FitLoss(new TrainConfig { Loss = TrainConfig.DefaultLoss }, labelMaps: true).Loss);
        var saved = System.Text.Json.JsonSerializer.Deserialize<TrainConfig>(System.Text.Json.JsonSerializer.Serialize(new TrainConfig(), TrainConfig.Json), TrainConfig.Json)!;
        Assert.True(saved.LossGiven && saved.EpochsGiven, "a run's config.json keeps the loss and epochs it trained with");
    }

    [Fact]
    public void LabelMapsStartAtTheOutputPriorUnlessOneIsGiven()
    {
        Assert.Null(new TrainConfig().OutputPrior);
        Assert.Equal(TrainingDefaults.LabelMapOutputPrior, TrainingDefaults.FitLoss(new TrainConfig { Mode = "3d" }, labelMaps: true).OutputPrior);
        Assert.Equal(TrainingDefaults.LabelMapOutputPrior, TrainingDefaults.FitLoss(new TrainConfig { Loss = "bce:0.5+dice:0.5" }, labelMaps: true).OutputPrior);
        Assert.Equal(0.2, TrainingDefaults.FitLoss(new TrainConfig { OutputPrior = 0.2 }, labelMaps: true).OutputPrior);
        Assert.Null(TrainingDefaults.FitLoss(new TrainConfig(), labelMaps: false).OutputPrior);
        Assert.Null(TrainingDefaults.FitLoss(new TrainConfig { Arch = "segcaps", Encoder = MedSeg.Torch.Models.ModelFactory.NoEncoder }, labelMaps: true).OutputPrior);
        var saved = System.Text.Json.JsonSerializer.Deserialize<TrainConfig>(
            System.Text.Json.JsonSerializer.Serialize(new TrainConfig { OutputPrior = 0.01 }, TrainConfig.Json), TrainConfig.Json)!;
        Assert.Equal(0.01, saved.OutputPrior);
        var error = Assert.Throws<MedSeg.Core.MedSegException>(() => new TrainConfig { OutputPrior = 1 }.Validate(MedSeg.Torch.Losses.LossMode.Multilabel));
        Assert.Contains("--output-prior 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelMapSlicesKeepTheirOwnSizeUnlessOneIsGiven()
    {
        (int, int)[] brain = [(96, 96), (96, 96), (100, 90)];
        var messages = new List<string>();
        Assert.Equal("96x96", TrainingDefaults.FitImageSize(new TrainConfig { Mode = "2d" }, brain, messages.Add).ImageSize);
        Assert.Contains(messages, m => m.Contains("--image-size 96x96: the slices' own size", StringComparison.Ordinal));
        Assert.Equal("96x96", TrainingDefaults.FitImageSize(new TrainConfig { Mode = "2.5d" }, [(80, 100), (90, 100), (100, 100)]).ImageSize);
        // A CT slice of 512x448 is shrunk to 256 on its longer side on the CPU (aspect kept, multiples of 32), kept on CUDA.
        Assert.Equal("256x224", TrainingDefaults.FitImageSize(new TrainConfig { Mode = "2d" }, [(512, 448)]).ImageSize);
        Assert.Equal("512x448", TrainingDefaults.FitImageSize(new TrainConfig { Mode = "2d", Device = "cuda" }, [(512, 448)]).ImageSize);
        Assert.Equal("32x32", TrainingDefaults.FitImageSize(new TrainConfig { Mode = "2d" }, [(9, 12)]).ImageSize);
        Assert.Equal("160x160", TrainingDefaults.FitImageSize(new TrainConfig { Mode = "2d", ImageSize = "160x160" }, brain).ImageSize);
        Assert.Equal(TrainConfig.DefaultImageSize, TrainingDefaults.FitImageSize(new TrainConfig { Mode = "3d" }, brain).ImageSize);
        Assert.False(new TrainConfig().ImageSizeGiven);
        var saved = System.Text.Json.JsonSerializer.Deserialize<TrainConfig>(System.Text.Json.JsonSerializer.Serialize(new TrainConfig(), TrainConfig.Json), TrainConfig.Json)!;
        Assert.True(saved.ImageSizeGiven && saved.GradClipGiven, "a run's config.json keeps the size and clip it trained with");

        // UW-Madison data (PNG slices, no per-volume intensity) keeps the default; nnU-Net data gets its own size.
        Assert.Equal(TrainConfig.DefaultImageSize, TrainingDefaults.FitTo(new TrainConfig { Mode = "2d" }, Synthesise(cases: 1)).ImageSize);
    }

    [Fact]
    public void EpochsThatFitCountWholeEpochsInTheTimeLeft()
    {
        Assert.Null(new TimeBudget(0).EpochsThatFit(1, 7, validates: false));
        var budget = new TimeBudget(1);
        Assert.Equal(9, budget.EpochsThatFit(1, 7, validates: false));
        Assert.Equal(8, budget.EpochsThatFit(1, 7, validates: true));
        Assert.Equal(3, budget.EpochsThatFit(3, 100, validates: false));
    }

    [Fact]
    public void ThreeDOnTheCpuStartsFromTheCpuPatchAndWidthAndTheGpuFromNnUNets()
    {
        var folder = Path.Combine(root, $"data-{Guid.NewGuid():N}");
        UwMadisonSynth.Write(folder, new UwMadisonSynthOptions(Cases: 1, MaxDays: 1, Slices: 40, Height: 160, Width: 144, Seed: 3));
        var data = UwMadisonDataset.Load(folder);
        var messages = new List<string>();

        var cpu = TrainingDefaults.FitTo(new TrainConfig { Mode = "3d" }, data, messages.Add);
        Assert.Equal(TrainingDefaults.CpuPatch, cpu.Patch);
        Assert.Equal(TrainingDefaults.CpuFeatures, cpu.Features);
        Assert.Contains(messages, m => m.Contains("the CPU default", StringComparison.Ordinal));

        var gpu = TrainingDefaults.FitTo(new TrainConfig { Mode = "3d", Device = "cuda" }, data);
        Assert.Equal(TrainConfig.DefaultPatch, gpu.Patch);
        Assert.Equal(TrainingDefaults.NnUNetFeatures, gpu.Features);
        Assert.Equal(TrainingDefaults.VolumetricUNetLr, cpu.Lr);
        Assert.Equal(TrainingDefaults.VolumetricUNetLr, gpu.Lr);
        Assert.Contains(messages, m => m.Contains($"--lr {TrainingDefaults.VolumetricUNetLr}, --grad-clip {TrainingDefaults.VolumetricUNetGradClip}", StringComparison.Ordinal));
        Assert.Equal((TrainingDefaults.VolumetricUNetGradClip, 0.0), (cpu.GradClip, TrainingDefaults.FitTo(new TrainConfig { Mode = "2.5d" }, data).GradClip));
        var given = TrainingDefaults.FitTo(new TrainConfig { Mode = "3d", Patch = "16x96x96", Features = 8, Lr = 1e-3, GradClip = 0 }, data);
        Assert.Equal(("16x96x96", 8, 1e-3, 0.0), (given.Patch, given.Features, given.Lr, given.GradClip));
        Assert.Equal(TrainConfig.DefaultLr, TrainingDefaults.FitTo(new TrainConfig { Mode = "2.5d" }, data).Lr);
        Assert.False(new TrainConfig().LrGiven);
        Assert.True(System.Text.Json.JsonSerializer.Deserialize<TrainConfig>(System.Text.Json.JsonSerializer.Serialize(cpu, TrainConfig.Json), TrainConfig.Json)!.LrGiven);
        // A volume smaller than the CPU patch shrinks it, as it shrinks the GPU one.
        Assert.Equal("12x48x56", TrainingDefaults.FitTo(new TrainConfig { Mode = "3d", Levels = 3 }, Synthesise(cases: 1)).Patch);
    }

    private UwMadisonDataset Synthesise(int cases)
    {
        var folder = Path.Combine(root, $"data-{Guid.NewGuid():N}");
        UwMadisonSynth.Write(folder, new UwMadisonSynthOptions(Cases: cases, MaxDays: 1, Slices: 12, Height: 48, Width: 56, Seed: 3));
        return UwMadisonDataset.Load(folder);
    }
}
