using MedSeg.Torch.Models.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Encoders;

public sealed class StochasticDepthTests
{
    [Fact]
    public void IsTheIdentityAtEvaluation()
    {
        using var scope = NewDisposeScope();
        using var drop = new StochasticDepth(0.5);
        drop.eval();
        var x = randn(8, 3, 4, 4);
        Assert.Same(x, drop.call(x));
    }

    [Fact]
    public void InTrainingDropsWholeSamplesAndRescalesTheKeptOnes()
    {
        using var scope = NewDisposeScope();
        using var drop = new StochasticDepth(0.25);
        drop.train();
        var y = drop.call(ones(4000, 2, 3));
        var perSample = y.view(4000, -1);
        var kept = perSample.eq(1 / 0.75).all(1);
        var dropped = perSample.eq(0).all(1);
        Assert.True(kept.logical_or(dropped).all().item<bool>(), "every sample is either kept whole or dropped whole");
        var dropRate = dropped.to(ScalarType.Float32).mean().item<float>();
        Assert.InRange(dropRate, 0.2, 0.3);
    }

    [Fact]
    public void ImageClassifierPassesEvaluationModeToItsEncoder()
    {
        using var scope = NewDisposeScope();
        using var model = new ImageClassifier("efficientnet-b0", 1, 3);
        model.eval();
        Assert.False(model.Encoder.training);
        using var noGrad = no_grad();
        var x = randn(2, 1, 64, 64);
        Assert.True(model.call(x).eq(model.call(x)).all().item<bool>(), "dropout and stochastic depth are off at evaluation");
        model.train();
        Assert.True(model.Encoder.training);
    }
}
