using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Smooths every image plane with a Gaussian of σ pixels drawn from <see cref="Sigma"/> (mirrored borders); a
/// volume is smoothed in-plane, slice by slice, since its slices are usually much further apart than its pixels.
/// The mask is untouched.
/// </summary>
public sealed class GaussianBlur : Augmentation
{
    public GaussianBlur(double probability, ValueRange sigma) : base(probability)
    {
        if (!(sigma.Low >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma is ≥ 0.");
        }
        Sigma = sigma;
    }

    public ValueRange Sigma { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        var sigma = Sigma.Draw(random);
        if (sigma <= 0)
        {
            return sample;
        }
        var kernel = GaussianFilter.Kernel(sigma);
        var shape = sample.Shape;
        for (var offset = 0; offset < sample.Image.Length; offset += shape.PlaneSize)
        {
            GaussianFilter.Smooth(sample.Image.AsSpan(offset, shape.PlaneSize), shape.Height, shape.Width, kernel);
        }
        return sample;
    }
}
