using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// x ← c·x + b over the whole image (every channel alike), c drawn from <see cref="Contrast"/> (around 1) and b
/// from <see cref="Brightness"/> (around 0, in image units: a fraction of the maximum for images scaled to [0, 1],
/// as albumentations' RandomBrightnessContrast). The mask is untouched.
/// </summary>
public sealed class BrightnessContrast(double probability, ValueRange brightness, ValueRange contrast) : Augmentation(probability)
{
    public ValueRange Brightness { get; } = brightness;

    public ValueRange Contrast { get; } = contrast;

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        var brightness = (float)Brightness.Draw(random);
        var contrast = (float)Contrast.Draw(random);
        var image = sample.Image.AsSpan();
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = contrast * image[i] + brightness;
        }
        return sample;
    }
}
