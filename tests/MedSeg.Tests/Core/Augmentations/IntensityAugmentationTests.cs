using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;

namespace MedSeg.Tests.Core.Augmentations;

/// <summary>Intensity transforms change the image by their formula, every channel alike, and never the mask.</summary>
public sealed class IntensityAugmentationTests
{
    public static TheoryData<string> Intensity() => ["brightness_contrast", "gamma", "gaussian_noise", "gaussian_blur", "lowres", "coarse_dropout"];

    private static Augmentation Create(string name) => name switch
    {
        "brightness_contrast" => new BrightnessContrast(1, ValueRange.Around(0, 0.2), ValueRange.Around(1, 0.2)),
        "gamma" => new RandomGamma(1, new ValueRange(0.5, 2)),
        "gaussian_noise" => new GaussianNoise(1, new ValueRange(0.05, 0.1)),
        "gaussian_blur" => new GaussianBlur(1, new ValueRange(0.5, 2)),
        "lowres" => new SimulateLowResolution(1, new ValueRange(0.3, 0.6)),
        _ => new CoarseDropout(1, 1, 4, new ValueRange(0.1, 0.3), 0),
    };

    private static AugmentationSample Sample(bool volume) => volume
        ? MarkedSample.Volume(3, SpatialShape.Volume(6, 24, 20), 1, 5, 4, 16, 4, 16)
        : MarkedSample.Plane(3, 24, 20, 4, 16, 4, 16);

    [Theory]
    [MemberData(nameof(Intensity))]
    public void MaskIsUntouchedAndSeedsReproduce(string name)
    {
        foreach (var volume in new[] { false, true })
        {
            var original = Sample(volume);
            var first = Create(name).Apply(Sample(volume), new DeterministicRandom(3));
            Assert.Equal(original.Mask, first.Mask);
            Assert.Equal(original.Shape, first.Shape);
            Assert.NotEqual(original.Image, first.Image);
            Assert.Equal(first.Image, Create(name).Apply(Sample(volume), new DeterministicRandom(3)).Image);
            Assert.NotEqual(first.Image, Create(name).Apply(Sample(volume), new DeterministicRandom(4)).Image);
        }
    }

    [Fact]
    public void BrightnessContrastIsLinear()
    {
        var result = new BrightnessContrast(1, new ValueRange(0.1, 0.1), new ValueRange(2, 2))
            .Apply(new AugmentationSample([0, 0.5f, 1], 1, [], 0, SpatialShape.Plane(1, 3)), new DeterministicRandom(0));
        Assert.Equal([0.1f, 1.1f, 2.1f], result.Image);
    }

    [Fact]
    public void GammaWorksOverTheImageRange()
    {
        // Over [0, 1]: x². Over [2, 4]: ((x − 2) / 2)² · 2 + 2, so 3 → 2.5.
        var unit = new RandomGamma(1, new ValueRange(2, 2)).Apply(new AugmentationSample([0, 0.5f, 1], 1, [], 0, SpatialShape.Plane(1, 3)), new DeterministicRandom(0));
        Assert.Equal([0f, 0.25f, 1f], unit.Image);
        var shifted = new RandomGamma(1, new ValueRange(2, 2)).Apply(new AugmentationSample([2, 3, 4], 1, [], 0, SpatialShape.Plane(1, 3)), new DeterministicRandom(0));
        Assert.Equal([2f, 2.5f, 4f], shifted.Image);
    }

    [Fact]
    public void NoiseHasTheDrawnStandardDeviation()
    {
        var result = new GaussianNoise(1, new ValueRange(0.1, 0.1)).Apply(
            new AugmentationSample(new float[128 * 128], 1, [], 0, SpatialShape.Plane(128, 128)), new DeterministicRandom(0));
        var mean = result.Image.Average();
        var std = Math.Sqrt(result.Image.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.003, 0.003);
        Assert.InRange(std, 0.097, 0.103);
    }

    [Fact]
    public void BlurKeepsConstantsAndTheSumOfAnImpulse()
    {
        var constant = new GaussianBlur(1, new ValueRange(1.5, 1.5)).Apply(
            new AugmentationSample(Enumerable.Repeat(0.7f, 3 * 15 * 17).ToArray(), 3, [], 0, SpatialShape.Plane(15, 17)), new DeterministicRandom(0));
        Assert.All(constant.Image, v => Assert.Equal(0.7f, v, 5));

        var impulse = new float[21 * 21];
        impulse[10 * 21 + 10] = 1;
        var blurred = new GaussianBlur(1, new ValueRange(1, 1)).Apply(new AugmentationSample(impulse, 1, [], 0, SpatialShape.Plane(21, 21)), new DeterministicRandom(0));
        Assert.Equal(1.0, blurred.Image.Sum(), 4);
        // The centre of a unit 2D Gaussian of σ = 1 sampled on the grid: about 1 / (2π) · (1 / normalisation).
        Assert.InRange(blurred.Image[10 * 21 + 10], 0.155, 0.165);
        Assert.Equal(blurred.Image[9 * 21 + 10], blurred.Image[10 * 21 + 11], 6);
    }

    [Fact]
    public void LowResolutionSamplesEveryOtherPixelAndInterpolatesBackToTheSameShape()
    {
        // Zoom 0.5 keeps pixels 0 and 2 of [0, 1, 2, 3] (nearest), then resizes [0, 2] back to 4 with half-pixel centres.
        var row = new SimulateLowResolution(1, new ValueRange(0.5, 0.5)).Apply(
            new AugmentationSample([0, 1, 2, 3], 1, [1, 0, 0, 1], 1, SpatialShape.Plane(1, 4)), new DeterministicRandom(0));
        Assert.Equal([0f, 0.5f, 1.5f, 2f], row.Image);
        Assert.Equal([1f, 0f, 0f, 1f], row.Mask);
        var volume = new SimulateLowResolution(1, new ValueRange(0.5, 0.5)).Apply(
            new AugmentationSample(Enumerable.Repeat(0.3f, 2 * 3 * 9 * 11).ToArray(), 2, [], 0, SpatialShape.Volume(3, 9, 11)), new DeterministicRandom(0));
        Assert.Equal(SpatialShape.Volume(3, 9, 11), volume.Shape);
        Assert.All(volume.Image, v => Assert.Equal(0.3f, v, 6));
    }

    [Fact]
    public void DropoutFillsTheSameBoxInEveryChannel()
    {
        var sample = new AugmentationSample(Enumerable.Repeat(1f, 2 * 8 * 8).ToArray(), 2, Enumerable.Repeat(1f, 64).ToArray(), 1, SpatialShape.Plane(8, 8));
        var result = new CoarseDropout(1, 1, 1, new ValueRange(0.5, 0.5), -2).Apply(sample, new DeterministicRandom(5));
        Assert.Equal(16, result.Image.Take(64).Count(v => v == -2));
        Assert.Equal(result.Image.Take(64), result.Image.Skip(64));
        Assert.All(result.Mask, v => Assert.Equal(1f, v));
    }
}
