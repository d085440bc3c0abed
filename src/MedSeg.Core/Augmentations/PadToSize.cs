using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Pads every axis shorter than <see cref="Size"/> (H, W or D, H, W) to that size, the sample centred, the image
/// with <see cref="Fill"/> and the mask with 0 (albumentations' PadIfNeeded); longer axes are kept.
/// </summary>
public sealed class PadToSize : Augmentation
{
    public PadToSize(IReadOnlyList<int> size, float fill, double probability = 1.0) : base(probability)
    {
        if (size.Count is not (2 or 3) || size.Any(s => s < 1))
        {
            throw new ArgumentException("a size is 2 or 3 positive numbers.", nameof(size));
        }
        Size = size.ToArray();
        Fill = fill;
    }

    public IReadOnlyList<int> Size { get; }

    public float Fill { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        CheckAxes("pad", Size, sample);
        var sizes = sample.Shape.Sizes;
        var padded = sizes.Select((s, a) => Math.Max(s, Size[a])).ToArray();
        if (padded.SequenceEqual(sizes))
        {
            return sample;
        }
        var offset = sizes.Select((s, a) => -((padded[a] - s) / 2)).ToArray();
        return SampleRegion.Copy(sample, offset, SpatialShape.Of(padded), Fill);
    }
}
