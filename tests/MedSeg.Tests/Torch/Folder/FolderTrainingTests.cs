using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Core.Data;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch.Folder;

/// <summary>
/// train → predict → evaluate on tiny synthetic folder datasets (CamVid-like, RGB, mutually exclusive classes), and the
/// bad input that must stop a run before it leaves anything behind. Sequential: libtorch's generator is process-wide.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class FolderTrainingTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-folder-{Guid.NewGuid():N}");

    internal static readonly TrainConfig Tiny = new()
    {
        Encoder = "resnet18",
        ImageSize = "64x64",
        Epochs = 5,
        BatchSize = 4,
        Lr = 3e-3,
        Folds = 4,
        Seed = 3,
        Threads = 2,
    };

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Run_learns_the_classes_and_predict_writes_index_maps_that_evaluate_scores()
    {
        // Images of 56×72 pixels: the network sees them at 64×64 and predictions must come back at the images' own size.
        string data = Path.Combine(root, "data"), run = Path.Combine(root, "run"), pred = Path.Combine(root, "pred");
        FolderSynth.Write(data, new FolderSynthOptions(Images: 16, Height: 56, Width: 72, Classes: 4, Seed: 1));

        var result = Trainer.Train(data, Tiny, run);

        foreach (var file in new[] { RunFolder.ConfigFile, RunFolder.InfoFile, RunFolder.BestModelFile, RunFolder.LastModelFile, RunFolder.LogFile, RunFolder.CurvesFile })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), $"run folder lacks {file}");
        }
        var folder = RunFolder.Load(run);
        Assert.True(folder.Info.Multiclass);
        Assert.Equal(3, folder.Info.ImageChannels);
        Assert.Equal(["background", "class_1", "class_2", "class_3"], folder.Info.Classes);
        Assert.Equal(FolderSegmentationTask.DefaultLoss, folder.Config.Loss);
        Assert.Equal((12, 4), (folder.Info.TrainCaseDays.Count, folder.Info.ValidationCaseDays.Count));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(run, RunFolder.OutOfFoldFolder), "*.png").Length);
        Assert.True(result.Epochs[^1].TrainLoss < 0.7 * result.Epochs[0].TrainLoss,
            $"training loss should fall: {string.Join(", ", result.Epochs.Select(e => e.TrainLoss.ToString("F3")))}");

        var written = FolderPredictor.Predict([run], null, data, pred, new PredictOptions(), "cpu");

        Assert.Equal(16, written.Cases);
        var first = RasterImage.Read(Path.Combine(pred, "image_0000.png"));
        Assert.Equal((56, 72, 1, 8), (first.Height, first.Width, first.Channels, first.BitDepth));
        var report = Evaluator.Load(pred, data).Evaluate(EvaluationOptions.Parse("iou", null, null));
        // An all-background prediction gets IoU = the background's share for class 0 and 0 for every other class.
        var masks = FolderDataset.Load(data).Items.Select(i => i.ReadMask().Pixels).ToArray();
        double background = masks.Sum(m => m.Count(v => v == 0)) / (double)masks.Sum(m => m.Length);
        Assert.True(report.Multiclass!.Mean > background / 4 + 0.1,
            $"mean IoU {report.Multiclass.Mean:F3} should clearly beat the all-background prediction's {background / 4:F3}");
        Assert.True(result.BestScore > background / 4, $"validation mean IoU {result.BestScore:F3} should beat the all-background {background / 4:F3}");
    }

    [Fact]
    public void Train_and_val_sub_folders_are_the_split_and_a_gray_run_refuses_rgb_images_at_predict()
    {
        string data = Path.Combine(root, "gray"), run = Path.Combine(root, "run"), pred = Path.Combine(root, "pred");
        FolderSynth.Write(data, new FolderSynthOptions(Height: 32, Width: 32, Classes: 3, Channels: 1, Split: [4, 2, 2]));

        Trainer.Train(data, Tiny with { Epochs = 1, ImageSize = "32x32" }, run);

        var info = RunFolder.Load(run).Info;
        Assert.Equal(1, info.ImageChannels);
        Assert.Equal(["image_0004", "image_0005"], info.ValidationCaseDays);
        FolderPredictor.Predict([run], null, data, pred, new PredictOptions(), "cpu");
        Assert.Equal(["image_0006.png", "image_0007.png"], Directory.GetFiles(pred).Select(Path.GetFileName).Order());

        string rgb = Path.Combine(root, "rgb");
        FolderSynth.Write(rgb, new FolderSynthOptions(Images: 2, Height: 32, Width: 32, Classes: 3));
        var error = Assert.Throws<MedSegException>(() => FolderPredictor.Predict([run], null, Path.Combine(rgb, "images"), Path.Combine(root, "pred2"), new PredictOptions(), "cpu"));
        Assert.Contains("image_0000.png is RGB (3 channels)", error.Message);
        Assert.Contains("grayscale (1 channel)", error.Message);
        Assert.False(Directory.Exists(Path.Combine(root, "pred2")));
        Assert.Empty(Directory.GetDirectories(root, ".pred2*"));
    }

    [Fact]
    public void A_single_labelled_image_trains_with_the_defaults_on_all_of_it_and_predicts()
    {
        string data = Path.Combine(root, "one"), run = Path.Combine(root, "run"), pred = Path.Combine(root, "pred");
        FolderSynth.Write(data, new FolderSynthOptions(Images: 1, Height: 50, Width: 70, Classes: 3));
        var messages = new List<string>();

        // The defaults but a smaller network and fewer epochs (each epoch writes the checkpoints): no --folds is needed.
        var defaults = new TrainConfig { Encoder = "resnet18", Epochs = 2 };
        var result = Trainer.Train(data, defaults, run, new TrainingEvents { Message = messages.Add });

        Assert.False(result.HeldOut);
        Assert.Contains(messages, m => m.StartsWith("1 labelled image: training on all of it", StringComparison.Ordinal));
        var folder = RunFolder.Load(run);
        Assert.Equal(1, folder.Config.Folds);
        Assert.Equal(RunInfo.NoValidation, folder.Info.Validation);
        Assert.Equal(defaults.Epochs, folder.Info.BestEpoch);
        Assert.Equal(["image_0000"], folder.Info.TrainCaseDays);
        FolderPredictor.Predict([run], null, data, pred, new PredictOptions(), "cpu");
        Assert.Equal((50, 70), (RasterImage.Read(Path.Combine(pred, "image_0000.png")).Height, RasterImage.Read(Path.Combine(pred, "image_0000.png")).Width));
    }

    [Theory]
    [InlineData("class", "image_0002.png has value 7")]
    [InlineData("mixed", "image_0003.png is grayscale (1 channel) but image")]
    [InlineData("scan", "image_0002.png is a 16-bit image with 1024 different values")]
    public void Bad_input_is_one_error_naming_the_file_and_leaves_no_run_folder(string damage, string expected)
    {
        string data = Path.Combine(root, "data"), run = Path.Combine(root, "run");
        FolderSynth.Write(data, new FolderSynthOptions(Images: 6, Height: 32, Width: 32, Classes: 3));
        if (damage == "class")
        {
            GrayPng.Write(Path.Combine(data, "masks", "image_0002.png"), Enumerable.Repeat((ushort)7, 32 * 32).ToArray(), 32, 32);
        }
        else if (damage == "scan")
        {
            BadMasks.Write(Path.Combine(data, "masks", "image_0002.png"), "scan", 32, 32);
        }
        else
        {
            GrayPng.Write(Path.Combine(data, "images", "image_0003.png"), new ushort[32 * 32], 32, 32);
        }

        var error = Assert.Throws<MedSegException>(() => Trainer.Train(data, Tiny with { Epochs = 1 }, run));

        Assert.Contains(expected, error.Message);
        Assert.False(Directory.Exists(run));
    }
}
