using MedSeg.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Losses;

public sealed class DeepSupervisionTests
{
    [Fact]
    public void HalvingWeightsSumToOne()
    {
        // 1, ½, ¼ normalised by 7/4.
        Assert.Equal([4.0 / 7, 2.0 / 7, 1.0 / 7], DeepSupervision.Halving(3).Weights);
    }

    [Theory]
    [InlineData(TargetDownsampling.MaxPool, 1f)]
    [InlineData(TargetDownsampling.Nearest, 0f)]
    public void AuxiliaryOutputsAreWeightedAgainstDownsampledTargets(TargetDownsampling downsampling, float expectedCorner)
    {
        using var scope = NewDisposeScope();
        // One foreground pixel at (1, 1) of 4×4: max-pooling to 2×2 keeps it in cell (0, 0); nearest
        // neighbour samples (0, 0), (0, 2), (2, 0), (2, 2) and loses it.
        var target = zeros(1, 1, 4, 4);
        target[0, 0, 1, 1] = tensor(1f);
        var full = randn(1, 1, 4, 4, generator: new Generator(1));
        var aux = randn(1, 1, 2, 2, generator: new Generator(2));
        var plain = SegmentationLoss.Parse("bce+dice");
        var deep = plain.WithDeepSupervision(new DeepSupervision([1.0, 0.5], downsampling));

        var small = zeros(1, 1, 2, 2);
        small[0, 0, 0, 0] = tensor(expectedCorner);
        var expected = plain.Compute(full, target).item<float>() + 0.5 * plain.Compute(aux, small).item<float>();
        Assert.Equal(expected, deep.Compute([full, aux], target).item<float>(), 5);
    }

    [Fact]
    public void ThreeDimensionalOutputsAndAPixelIgnoreMaskAreDownsampled()
    {
        using var scope = NewDisposeScope();
        var target = zeros([1, 1, 2, 4, 4]);
        target[0, 0, 1, 3, 2] = tensor(1f);
        var ignore = zeros([1, 1, 2, 4, 4]);
        ignore[0, 0, 0, 0, 0] = tensor(1f);
        var full = randn([1, 1, 2, 4, 4], generator: new Generator(3));
        var aux = randn([1, 1, 1, 2, 2], generator: new Generator(4));
        var plain = SegmentationLoss.Parse("bce+dice");
        var deep = plain.WithDeepSupervision(new DeepSupervision([1.0, 0.25]));

        // Max-pooled: the foreground lands in cell (0, 1, 1), the ignored pixel makes cell (0, 0, 0) ignored.
        var smallTarget = zeros([1, 1, 1, 2, 2]);
        smallTarget[0, 0, 0, 1, 1] = tensor(1f);
        var smallIgnore = zeros([1, 1, 1, 2, 2]);
        smallIgnore[0, 0, 0, 0, 0] = tensor(1f);
        var expected = plain.Compute(full, target, ignore).item<float>() + 0.25 * plain.Compute(aux, smallTarget, smallIgnore).item<float>();
        Assert.Equal(expected, deep.Compute([full, aux], target, ignore).item<float>(), 5);
    }

    [Fact]
    public void MulticlassLabelsAreDownsampledByNearestNeighbour()
    {
        using var scope = NewDisposeScope();
        var labels = tensor(new long[] { 2, 0, 1, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0 }, [1, 4, 4]);
        var full = randn(1, 3, 4, 4, generator: new Generator(5));
        var aux = randn(1, 3, 2, 2, generator: new Generator(6));
        var plain = SegmentationLoss.Parse("ce+dice", LossMode.Multiclass);
        var deep = plain.WithDeepSupervision(new DeepSupervision([1.0, 1.0], TargetDownsampling.Nearest));
        var expected = plain.Compute(full, labels).item<float>() + plain.Compute(aux, tensor(new long[] { 2, 1, 1, 2 }, [1, 2, 2])).item<float>();
        Assert.Equal(expected, deep.Compute([full, aux], labels).item<float>(), 5);
        Assert.Throws<ArgumentException>(() => plain.WithDeepSupervision(DeepSupervision.Halving(2)).Compute([full, aux], labels));
    }

    [Fact]
    public void OutputAndWeightCountsMustAgree()
    {
        using var scope = NewDisposeScope();
        var loss = SegmentationLoss.Parse("bce");
        Assert.Throws<ArgumentException>(() => loss.Compute([zeros(1, 1, 4, 4), zeros(1, 1, 2, 2)], zeros(1, 1, 4, 4)));
        Assert.Throws<ArgumentException>(() => loss.WithDeepSupervision(DeepSupervision.Halving(3)).Compute([zeros(1, 1, 4, 4)], zeros(1, 1, 4, 4)));
        Assert.Throws<ArgumentException>(() => new DeepSupervision([1.0, -0.5]));
    }
}
