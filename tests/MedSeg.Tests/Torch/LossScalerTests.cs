using MedSeg.Torch.Models;
using MedSeg.Torch.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch;

public sealed class LossScalerTests
{
    private static Parameter Weight(float value) => new(tensor(new[] { value }));

    [Fact]
    public void AScaledStepEqualsTheUnscaledOne()
    {
        using var scope = NewDisposeScope();
        var (scaled, plain) = (Weight(2f), Weight(2f));
        var scaler = new LossScaler(scale: 1024);
        var scaledOptimizer = optim.SGD([scaled], 0.1);
        var plainOptimizer = optim.SGD([plain], 0.1);

        scaler.ScaleLoss((scaled * scaled).sum()).backward();
        Assert.Equal(4f * 1024, scaled.grad!.item<float>());
        Assert.True(scaler.Step(scaledOptimizer, [scaled], gradClip: 0));
        (plain * plain).sum().backward();
        plainOptimizer.step();

        Assert.Equal(plain.item<float>(), scaled.item<float>(), 6);
        Assert.Equal(1.6f, scaled.item<float>(), 6);
        Assert.Equal(1, scaler.GoodSteps);
    }

    [Fact]
    public void AnOverflowSkipsTheStepAndHalvesTheScale()
    {
        using var scope = NewDisposeScope();
        var weight = Weight(2f);
        var scaler = new LossScaler(scale: 1024, goodSteps: 5);
        var optimizer = optim.SGD([weight], 0.1);

        scaler.ScaleLoss((weight * float.PositiveInfinity).sum()).backward();

        Assert.False(scaler.Step(optimizer, [weight], gradClip: 0));
        Assert.Equal(2f, weight.item<float>());
        Assert.Equal(512, scaler.Scale);
        Assert.Equal(0, scaler.GoodSteps);
        Assert.Equal(1, scaler.SkippedSteps);
    }

    [Fact]
    public void TheScaleGrowsAfterTheGrowthIntervalOfGoodSteps()
    {
        using var scope = NewDisposeScope();
        var weight = Weight(1f);
        var scaler = new LossScaler(scale: 8, growthInterval: 3);
        var optimizer = optim.SGD([weight], 0.01);
        for (var i = 0; i < 3; i++)
        {
            optimizer.zero_grad();
            scaler.ScaleLoss(weight.sum()).backward();
            Assert.True(scaler.Step(optimizer, [weight], gradClip: 0));
        }
        Assert.Equal(16, scaler.Scale);
        Assert.Equal(0, scaler.GoodSteps);
        Assert.Equal(0.97f, weight.item<float>(), 6);
    }

    [Fact]
    public void AFloat16ScopeComputesConvolutionsInHalfPrecisionAndReturnsFloat32()
    {
        using var scope = NewDisposeScope();
        var conv = new Conv(3, 4, kernelSize: 3, padding: 1);
        var x = rand(new long[] { 1, 3, 8, 8 }, generator: new Generator(3));
        using var noGrad = no_grad();
        var full = conv.call(x);
        Tensor half;
        using (Autocast.Float16())
        {
            half = conv.call(x);
        }
        Assert.Equal(ScalarType.Float32, half.dtype);
        Assert.True(half.allclose(full, rtol: 1e-2, atol: 1e-2));
        // On a CPU without fp16 instructions (or under the oneDNN guard) convolutions stay fp32 (README).
        Assert.Equal(!MedSeg.Torch.Native.CpuConvolutionTypes.Float16, half.equal(full).all().item<bool>());
    }
}
