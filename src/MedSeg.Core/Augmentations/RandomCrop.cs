using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Crops a box of <see cref="Size"/> (H, W or D, H, W) with nnU-Net's foreground oversampling: with probability
/// <see cref="ForegroundFraction"/> (nnU-Net: one third) the box is centred on a foreground voxel — a class drawn
/// uniformly among the mask channels that have foreground, then one of its voxels — and shifted inside the sample;
/// otherwise, or when the mask is empty, its position is uniform. A sample smaller than the box is padded with zeros
/// around its centre first.
/// </summary>
public sealed class RandomCrop : Augmentation
{
    public RandomCrop(IReadOnlyList<int> size, double foregroundFraction, double probability = 1.0) : base(probability)
    {
        if (size.Count is not (2 or 3) || size.Any(s => s < 1))
        {
            throw new ArgumentException("a crop size is 2 or 3 positive numbers.", nameof(size));
        }
        if (!(foregroundFraction is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(foregroundFraction), foregroundFraction, "a fraction lies in [0, 1].");
        }
        Size = size.ToArray();
        ForegroundFraction = foregroundFraction;
    }

    public IReadOnlyList<int> Size { get; }

    public double ForegroundFraction { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        CheckAxes("crop", Size, sample);
        var sizes = sample.Shape.Sizes;
        var forced = random.NextDouble() < ForegroundFraction;
        var centre = forced ? ForegroundVoxel(sample, random) : null;
        var offset = new int[sizes.Length];
        for (var a = 0; a < sizes.Length; a++)
        {
            var slack = sizes[a] - Size[a];
            offset[a] = slack < 0
                ? slack / 2 // smaller than the box: centred, zero-padded
                : centre is null
                    ? random.NextInt(slack + 1)
                    : Math.Clamp(centre[a] - Size[a] / 2, 0, slack);
        }
        return SampleRegion.Copy(sample, offset, SpatialShape.Of(Size), 0);
    }

    /// <summary>The coordinates (as <see cref="SpatialShape.Sizes"/>) of a random foreground voxel, or null for an empty mask.</summary>
    private static int[]? ForegroundVoxel(AugmentationSample sample, DeterministicRandom random)
    {
        var voxels = sample.Shape.Voxels;
        var counts = new int[sample.MaskChannels];
        for (var c = 0; c < counts.Length; c++)
        {
            foreach (var v in sample.Mask.AsSpan(c * voxels, voxels))
            {
                if (v != 0)
                {
                    counts[c]++;
                }
            }
        }
        var present = Enumerable.Range(0, counts.Length).Where(c => counts[c] > 0).ToArray();
        if (present.Length == 0)
        {
            return null;
        }
        var channel = present[random.NextInt(present.Length)];
        var target = random.NextInt(counts[channel]);
        var mask = sample.Mask.AsSpan(channel * voxels, voxels);
        var index = 0;
        for (var seen = -1; ; index++)
        {
            if (mask[index] != 0 && ++seen == target)
            {
                break;
            }
        }
        var shape = sample.Shape;
        int z = index / shape.PlaneSize, y = index % shape.PlaneSize / shape.Width, x = index % shape.Width;
        return shape.Dims == 2 ? [y, x] : [z, y, x];
    }
}
