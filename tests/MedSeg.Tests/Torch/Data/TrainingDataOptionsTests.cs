using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;
using TorchSharp;
using static MedSeg.Tests.Core.Data.UwFolderBuilder;

namespace MedSeg.Tests.Torch.Data;

/// <summary>
/// The data-pipeline keys of a run config, end to end: validation errors name the key, the loader threads never
/// change the numbers, and a run with normalisation, slice selection and an ROI crop trains and predicts with the
/// crop pasted back. Sequential: training seeds libtorch's process-wide random generator.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class TrainingDataOptionsTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-data-options-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static readonly TrainConfig OneEpoch = TrainerTests.Tiny with { Epochs = 1, Augment = """[{"name":"flip","axes":["h"]},{"name":"shift_scale_rotate"}]""" };

    [Theory]
    [InlineData("normalisation", "max")]
    [InlineData("slices", "some")]
    [InlineData("ambiguous", "skip")]
    [InlineData("roi_crop", "body")]
    [InlineData("cache_mb", "-1")]
    [InlineData("loader_threads", "-2")]
    [InlineData("prefetch", "0")]
    public void An_invalid_data_key_is_an_error_naming_it(string key, string value)
    {
        var config = key switch
        {
            "normalisation" => new TrainConfig { Normalisation = value },
            "slices" => new TrainConfig { Slices = value },
            "ambiguous" => new TrainConfig { Ambiguous = value },
            "roi_crop" => new TrainConfig { RoiCrop = value },
            "cache_mb" => new TrainConfig { CacheMb = int.Parse(value) },
            "loader_threads" => new TrainConfig { LoaderThreads = int.Parse(value) },
            _ => new TrainConfig { Prefetch = int.Parse(value) },
        };
        var error = Assert.Throws<MedSegException>(config.Validate);
        Assert.StartsWith(int.TryParse(value, out _) ? $"{key} {value}" : $"{key} '{value}'", error.Message);
    }

    [Fact]
    public void A_selection_that_leaves_no_training_slice_is_an_error()
    {
        using var folder = new TempFolder();
        var lines = new List<string> { "id,class,segmentation" };
        for (var c = 1; c <= 3; c++)
        {
            AddImage(folder.Path, c, 1, 1);
            lines.Add($"case{c}_day1_slice_0001,stomach,");
        }
        WriteCsv(folder.Path, [.. lines]);
        var data = UwMadisonDataset.Load(folder.Path);
        var config = new TrainConfig { Slices = "annotated", Folds = 3 };
        var error = Assert.Throws<MedSegException>(() => new SliceSegmentationTask(data.Classes, config, FoldSplit.Of(data, 3, 0, config.Seed)));
        Assert.Equal("slices 'annotated' with ambiguous 'keep' leaves no training slice in fold 0; use slices all or ambiguous keep.", error.Message);
    }

    [Fact]
    public void Loader_threads_do_not_change_the_training_numbers()
    {
        var data = TrainerTests.Synthesise(root);
        var synchronous = Trainer.Train(data, OneEpoch with { LoaderThreads = 0 }, Path.Combine(root, "sync"));
        var threaded = Trainer.Train(data, OneEpoch with { LoaderThreads = 2, Prefetch = 3, CacheMb = 1 }, Path.Combine(root, "threaded"));
        Assert.Equal(synchronous.Epochs[0].TrainLoss, threaded.Epochs[0].TrainLoss);
        Assert.Equal(synchronous.Epochs[0].ValScore, threaded.Epochs[0].ValScore);
    }

    [Fact]
    public void A_cropped_run_predicts_zero_outside_the_body_box()
    {
        var data = TrainerTests.Synthesise(root);
        var config = OneEpoch with
        {
            Normalisation = "percentile:0.5:99.5", Slices = "annotated", Ambiguous = "ignore", RoiCrop = "case-day:0.3",
        };
        Trainer.Train(data, config, Path.Combine(root, "run"));
        var run = RunFolder.Load(Path.Combine(root, "run"));
        Assert.Equal(config, run.Config);
        using var model = run.LoadModel(torch.CPU);
        var caseDay = data.CaseDays.First(cd => run.Info.ValidationCaseDays.Contains(cd.Id));
        var box = run.Config.InputTensors().Reader.Box(caseDay);
        Assert.True(box.Pixels < 64 * 64, $"the body box {box} should leave out the dark border");
        var segmenter = new SliceSegmenter([new EnsembleMember(model, run.Config, data.Classes, 1.0)], new PredictOptions(BatchSize: 8), torch.CPU);
        var probabilities = segmenter.Probabilities(caseDay);
        var inside = 0.0;
        for (var i = 0; i < caseDay.Slices.Count * 64 * 64; i++)
        {
            var (y, x) = (i % (64 * 64) / 64, i % 64);
            var inBox = y >= box.Top && y < box.Top + box.Height && x >= box.Left && x < box.Left + box.Width;
            foreach (var classProbabilities in probabilities)
            {
                if (inBox)
                {
                    inside += classProbabilities[i];
                }
                else
                {
                    Assert.Equal(0f, classProbabilities[i]);
                }
            }
        }
        Assert.True(inside > 0, "inside the box the network predicts probabilities");
    }
}
