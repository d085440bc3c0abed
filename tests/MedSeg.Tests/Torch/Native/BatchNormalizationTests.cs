using System.Diagnostics;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Native;

[Collection(nameof(SequentialCollection))]
public sealed class BatchNormalizationTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void MatchesTorchSharpsBatchNormInTrainingAndEvaluation(int spatialDims)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var shape = spatialDims == 2 ? new long[] { 4, 3, 5, 6 } : [2, 3, 4, 5, 6];
        nn.Module<Tensor, Tensor> reference = spatialDims == 2 ? nn.BatchNorm2d(3, momentum: 0.2) : nn.BatchNorm3d(3, momentum: 0.2);
        var mine = new BatchNormalization(3, spatialDims, momentum: 0.2);
        Assert.Equal(reference.state_dict().Keys.Order(), mine.state_dict().Keys.Order());
        mine.load_state_dict(reference.state_dict());

        for (var step = 0; step < 3; step++)
        {
            var x = randn(shape) * 2 + 1;
            Assert.True(reference.call(x).eq(mine.call(x)).all().item<bool>());
        }
        foreach (var (name, value) in reference.state_dict())
        {
            Assert.True(value.eq(mine.state_dict()[name]).all().item<bool>(), name);
        }
        Assert.Equal(3L, mine.num_batches_tracked!.item<long>());

        reference.eval();
        mine.eval();
        var test = randn(shape);
        Assert.True(reference.call(test).eq(mine.call(test)).all().item<bool>());
        Assert.Equal(3L, mine.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void AWrongRankIsRefusedWithTheExpectedRank()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => new BatchNormalization(3).call(zeros(2, 3, 4)));
        Assert.Contains("4-D", error.Message);
    }

    [Fact]
    public void TrainingForwardPassesSurviveConstantGarbageCollection()
    {
        // TorchSharp 0.107's own BatchNorm fails here several times a second ("argument alpha must not be a
        // floating point number"): its num_batches_tracked increment passes a temporary Scalar to libtorch.
        using var scope = NewDisposeScope();
        var norm = new BatchNormalization(4);
        norm.train();
        var x = randn(2, 4, 2, 2);
        long calls = 0;
        using (var pressure = new GarbageCollectionPressure())
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(2))
            {
                using var step = NewDisposeScope();
                norm.call(x);
                calls++;
            }
        }
        Assert.Equal(calls, norm.num_batches_tracked!.item<long>());
    }
}
