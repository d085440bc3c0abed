using MedSeg.Core;
using MedSeg.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch;

public sealed class SegmentationLossTests
{
    [Fact]
    public void BceEqualsTheHandComputedValue()
    {
        using var scope = NewDisposeScope();
        // logits 0 and ln 3 (p = 0.5, 0.75) against targets 1, 0: mean(-ln 0.5, -ln 0.25).
        var logits = tensor(new float[] { 0f, MathF.Log(3f) }, [1, 1, 1, 2]);
        var target = tensor(new float[] { 1f, 0f }, [1, 1, 1, 2]);
        var loss = SegmentationLoss.Parse("bce").Compute(logits, target).item<float>();
        Assert.Equal((Math.Log(2) + Math.Log(4)) / 2, loss, 5);
    }

    [Fact]
    public void SoftDiceEqualsTheHandComputedValue()
    {
        using var scope = NewDisposeScope();
        // p = (0.5, 0.75), t = (1, 0): Dice = 2·0.5 / (1.25 + 1) = 0.4444; loss = 0.5556.
        var logits = tensor(new float[] { 0f, MathF.Log(3f) }, [1, 1, 1, 2]);
        var target = tensor(new float[] { 1f, 0f }, [1, 1, 1, 2]);
        var loss = SegmentationLoss.Parse("dice").Compute(logits, target).item<float>();
        Assert.Equal(1 - 1.0 / 2.25, loss, 5);
    }

    [Fact]
    public void WeightedSumAddsTheTerms()
    {
        using var scope = NewDisposeScope();
        var logits = randn(2, 3, 8, 8, generator: new Generator(1));
        var target = rand(2, 3, 8, 8, generator: new Generator(2)).gt(0.5).to_type(ScalarType.Float32);
        var bce = SegmentationLoss.Parse("bce").Compute(logits, target).item<float>();
        var dice = SegmentationLoss.Parse("dice").Compute(logits, target).item<float>();
        var both = SegmentationLoss.Parse("bce:0.25+dice:2").Compute(logits, target).item<float>();
        Assert.Equal(0.25 * bce + 2 * dice, both, 4);
    }

    [Fact]
    public void ClassAbsentFromTheTargetAddsNoDiceLoss()
    {
        using var scope = NewDisposeScope();
        var logits = full(1, 1, 4, 4, 3f);
        var target = zeros(1, 1, 4, 4);
        Assert.Equal(0f, SegmentationLoss.Parse("dice").Compute(logits, target).item<float>());
    }

    [Fact]
    public void GradientPushesLogitsTowardsTheTarget()
    {
        using var scope = NewDisposeScope();
        var logits = zeros(1, 1, 2, 2).requires_grad_();
        var target = tensor(new float[] { 1, 1, 0, 0 }, [1, 1, 2, 2]);
        SegmentationLoss.Parse("bce+dice").Compute(logits, target).backward();
        var grad = logits.grad!.flatten().data<float>().ToArray();
        Assert.True(grad[0] < 0 && grad[1] < 0, "foreground logits must grow");
        Assert.True(grad[2] > 0 && grad[3] > 0, "background logits must shrink");
    }

    [Theory]
    [InlineData("hausdorff")]
    [InlineData("bce:x")]
    [InlineData("bce:1:2")]
    public void InvalidDescriptionNamesTheOption(string text)
    {
        var error = Assert.Throws<MedSegException>(() => SegmentationLoss.Parse(text));
        Assert.Contains("--loss", error.Message);
    }
}
