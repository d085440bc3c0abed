using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Torch.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Inference;

public sealed class TtaViewTests
{
    private static AugmentationPipeline Pipeline(string json) => AugmentationPipeline.Parse(json);

    [Theory]
    [InlineData("none", 1)]
    [InlineData("flip", 2)]
    [InlineData("rot90", 4)]
    [InlineData("all", 8)]
    public void EveryViewIsUndoneByItsInverse(string choice, int count)
    {
        using var scope = NewDisposeScope();
        var x = arange(2 * 3 * 4 * 6, dtype: ScalarType.Float32).reshape(2, 3, 4, 6);
        var views = TtaView.For(choice, AugmentationPipeline.Empty);

        Assert.Equal(count, views.Distinct().Count());
        foreach (var view in views)
        {
            Assert.True(view.Invert(view.Apply(x)).eq(x).all().item<bool>(), $"{view} is not undone by its inverse");
        }
    }

    [Fact]
    public void AQuarterTurnOfANonSquareInputSwapsItsSides()
    {
        using var scope = NewDisposeScope();
        var x = zeros(1, 1, 4, 6);
        Assert.Equal(new long[] { 1, 1, 6, 4 }, new TtaView(false, 1).Apply(x).shape);
    }

    [Fact]
    public void AutoUsesOnlyWhatTheRunWasTrainedWith()
    {
        Assert.Equal([TtaView.Identity], TtaView.For("auto", AugmentationPipeline.Empty));
        Assert.Equal([TtaView.Identity, new TtaView(true, 0)], TtaView.For("auto", Pipeline("""[{"name": "flip", "axes": ["h"], "p": 0.5}]""")));
        Assert.Equal([TtaView.Identity, new TtaView(true, 2)], TtaView.For("auto", Pipeline("""[{"name": "flip", "axes": ["v"], "p": 0.5}]""")));
        Assert.Equal(4, TtaView.For("auto", Pipeline("""[{"name": "rotate90", "p": 0.5}]""")).Count);
        Assert.Equal(8, TtaView.For("auto", Pipeline("""[{"name": "rotate90", "p": 0.5}, {"name": "flip", "axes": ["h"], "p": 0.5}]""")).Count);
    }

    [Fact]
    public void AnUnknownChoiceNamesTheValidOnes()
    {
        var error = Assert.Throws<MedSegException>(() => TtaView.For("mirror", AugmentationPipeline.Empty));
        Assert.Contains("--tta mirror", error.Message);
        Assert.Contains("rot90", error.Message);
    }

    [Fact]
    public void AveragingTheViewsOfAnEquivariantNetworkChangesNothing()
    {
        // A 1×1 convolution commutes with every flip and quarter turn, so TTA must return its plain output.
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(3, 2, 1);
        var x = rand(new long[] { 2, 3, 8, 8 }, generator: new Generator(5));
        using var noGrad = no_grad();
        var plain = conv.call(x).sigmoid();
        var views = TtaView.For("all", AugmentationPipeline.Empty);
        var averaged = stack(views.Select(v => v.Invert(conv.call(v.Apply(x))).sigmoid()).ToArray()).mean([0]);
        Assert.True(averaged.allclose(plain, rtol: 1e-5, atol: 1e-6));
    }
}
