using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;

namespace MedSeg.Tests.Core.Augmentations;

/// <summary>nnU-Net's foreground oversampling: a fraction of the crops is forced to contain foreground.</summary>
public sealed class RandomCropTests
{
    // A 64×64 plane whose only foreground is a 2×2 box in a corner region: a uniform 16×16 crop rarely sees it.
    private static AugmentationSample Sparse() => MarkedSample.Plane(1, 64, 64, 50, 52, 8, 10);

    private static double ForegroundShare(double fraction, int crops = 300) =>
        Enumerable.Range(0, crops).Count(seed =>
            MarkedSample.MaskCount(new RandomCrop([16, 16], fraction).Apply(Sparse(), new DeterministicRandom(seed))) > 0) / (double)crops;

    [Fact]
    public void AllForcedCropsContainForeground() => Assert.Equal(1.0, ForegroundShare(1));

    [Fact]
    public void OneThirdForcedCropsContainForegroundAtLeastAThirdOfTheTime()
    {
        var uniform = ForegroundShare(0);
        var oversampled = ForegroundShare(1.0 / 3);
        // Uniform crops hit the 2×2 box with probability about (17·17)/(49·49) ≈ 0.12.
        Assert.InRange(uniform, 0.05, 0.2);
        Assert.InRange(oversampled, 1.0 / 3 + 0.5 * uniform - 0.08, 1.0 / 3 + 0.67 * uniform + 0.08);
    }

    [Fact]
    public void EveryClassWithForegroundCanBeChosen()
    {
        // Class 0 large, class 1 a single voxel: classes are drawn uniformly, so class 1 is centred about half the time.
        var mask = new float[2 * 64 * 64];
        for (var y = 0; y < 20; y++)
        {
            for (var x = 0; x < 20; x++)
            {
                mask[y * 64 + x] = 1;
            }
        }
        mask[4096 + 60 * 64 + 60] = 1;
        var hits = Enumerable.Range(0, 200).Count(seed =>
        {
            var sample = new AugmentationSample(new float[64 * 64], 1, (float[])mask.Clone(), 2, SpatialShape.Plane(64, 64));
            var crop = new RandomCrop([8, 8], 1).Apply(sample, new DeterministicRandom(seed));
            return crop.Mask.Skip(64).Any(v => v > 0);
        });
        Assert.InRange(hits, 70, 130);
    }

    [Fact]
    public void ASmallerSampleIsPaddedAroundItsCentre()
    {
        var crop = new RandomCrop([4, 5], 0).Apply(new AugmentationSample([1, 2, 3, 4], 1, [1, 1, 1, 1], 1, SpatialShape.Plane(2, 2)), new DeterministicRandom(0));
        Assert.Equal(SpatialShape.Plane(4, 5), crop.Shape);
        Assert.Equal([0f, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0], crop.Image);
        Assert.Equal(4, MarkedSample.MaskCount(crop));
    }

    [Fact]
    public void VolumeCropsOversampleToo()
    {
        var shape = SpatialShape.Volume(20, 40, 40);
        var forced = Enumerable.Range(0, 20).All(seed =>
            MarkedSample.MaskCount(new RandomCrop([4, 8, 8], 1).Apply(MarkedSample.Volume(2, shape, 15, 17, 30, 33, 2, 4), new DeterministicRandom(seed))) > 0);
        Assert.True(forced);
    }
}
