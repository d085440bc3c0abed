using MedSeg.Core.Inference;
using MedSeg.Core.Sharding;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Torch.Inference;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch.Cluster;

/// <summary>
/// <c>predict --shard</c> on a folder dataset (CamVid-like): the index maps of the shards, merged, are the unsharded
/// run's files byte for byte. In process and sequential, so every prediction runs on the same libtorch threads.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class FolderShardTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("medseg-folder-shards-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>An untrained softmax run over 3 classes on RGB images: prediction reads it like a trained one.</summary>
    private string UntrainedFolderRun()
    {
        var path = Path.Combine(root, "run");
        var config = new TrainConfig { Encoder = "resnet18", ImageSize = "32x32", Precision = "fp32", Loss = "ce" };
        Directory.CreateDirectory(path);
        RunFolder.WriteJson(path, RunFolder.ConfigFile, config);
        RunFolder.WriteJson(path, RunFolder.InfoFile,
            LabelMapPredictorTests.UntrainedInfo(["background", "class_1", "class_2"]) with { Multiclass = true, ImageChannels = 3 });
        using var model = TrainingNetworks.Create(config, 3, 3);
        RunFolder.SaveWeights(model, path, RunFolder.BestModelFile);
        return path;
    }

    [Fact]
    public void ShardsOfAFolderDatasetMergeToTheUnshardedIndexMaps()
    {
        var data = Path.Combine(root, "data");
        FolderSynth.Write(data, new FolderSynthOptions(Images: 5, Height: 30, Width: 34, Classes: 3, Seed: 4));
        var run = UntrainedFolderRun();
        var single = Path.Combine(root, "single");
        FolderPredictor.Predict([run], null, data, single, new PredictOptions(), "cpu");
        var parts = Enumerable.Range(0, 3).Select(i => Path.Combine(root, $"part_{i}")).ToArray();
        for (var i = 0; i < parts.Length; i++)
        {
            FolderPredictor.Predict([run], null, data, parts[i], new PredictOptions(), "cpu", shard: new Shard(i, 3));
        }
        Assert.True(FolderPredictor.Predict([run], null, data, parts[1], new PredictOptions(), "cpu", shard: new Shard(1, 3)).AlreadyComplete);
        Assert.Equal([2, 2, 1], parts.Select(p => Directory.GetFiles(p).Length)); // one slice per image: 5 images dealt 2, 2, 1

        var merged = Path.Combine(root, "merged");
        Assert.Equal(5, ShardMerge.Merge(parts, merged));

        Assert.Equal(ShardedPredictionTests.Hashes(single), ShardedPredictionTests.Hashes(merged));
    }
}
