using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>Adds independent normal noise of standard deviation σ (drawn from <see cref="Std"/>, in image units) to every image value; the mask is untouched.</summary>
public sealed class GaussianNoise : Augmentation
{
    public GaussianNoise(double probability, ValueRange std) : base(probability)
    {
        if (!(std.Low >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(std), std, "a standard deviation is ≥ 0.");
        }
        Std = std;
    }

    public ValueRange Std { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        var std = Std.Draw(random);
        var image = sample.Image.AsSpan();
        for (var i = 0; i < image.Length; i++)
        {
            image[i] += (float)(std * random.NextGaussian());
        }
        return sample;
    }
}
