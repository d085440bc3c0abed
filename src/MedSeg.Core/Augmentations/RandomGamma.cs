using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Gamma correction with γ drawn from <see cref="Gamma"/>, over the image's own range so that any intensity scale
/// works (MONAI's RandAdjustContrast): x ← ((x − min) / (max − min))^γ · (max − min) + min, min and max over all
/// channels. For an image in [0, 1] with minimum 0 and maximum 1 this is x^γ. The mask is untouched.
/// </summary>
public sealed class RandomGamma : Augmentation
{
    public RandomGamma(double probability, ValueRange gamma) : base(probability)
    {
        if (!(gamma.Low > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be positive.");
        }
        Gamma = gamma;
    }

    public ValueRange Gamma { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        var gamma = (float)Gamma.Draw(random);
        var image = sample.Image.AsSpan();
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in image)
        {
            min = MathF.Min(min, v);
            max = MathF.Max(max, v);
        }
        var range = max - min;
        if (!(range > 0))
        {
            return sample;
        }
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = MathF.Pow((image[i] - min) / range, gamma) * range + min;
        }
        return sample;
    }
}
