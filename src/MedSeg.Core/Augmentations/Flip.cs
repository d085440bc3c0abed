using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Mirrors image and mask along each of <see cref="Axes"/>, every axis independently with probability
/// <see cref="AxisProbability"/> (so <c>h</c> and <c>v</c> together give all four flip combinations); the
/// transform itself always runs (<see cref="Augmentation.Probability"/> is 1). Nothing is interpolated.
/// </summary>
public sealed class Flip : Augmentation
{
    public Flip(IReadOnlyList<FlipAxis> axes, double axisProbability) : base(1.0)
    {
        if (!(axisProbability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(axisProbability), axisProbability, "a probability lies in [0, 1].");
        }
        Axes = axes.Distinct().ToArray();
        AxisProbability = axisProbability;
    }

    public IReadOnlyList<FlipAxis> Axes { get; }

    public double AxisProbability { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        foreach (var axis in Axes)
        {
            if (random.NextDouble() < AxisProbability)
            {
                Mirror(sample.Image, sample.ImageChannels, sample.Shape, axis);
                Mirror(sample.Mask, sample.MaskChannels, sample.Shape, axis);
            }
        }
        return sample;
    }

    private static void Mirror(float[] data, int channels, SpatialShape shape, FlipAxis axis)
    {
        switch (axis)
        {
            case FlipAxis.Horizontal:
                for (var row = 0; row < channels * shape.Depth * shape.Height; row++)
                {
                    data.AsSpan(row * shape.Width, shape.Width).Reverse();
                }
                break;
            case FlipAxis.Vertical:
                SwapBlocks(data, channels * shape.Depth, shape.Height, shape.Width);
                break;
            default:
                if (shape.Dims != 3)
                {
                    throw new MedSegException($"augmentation 'flip': axis d flips depth and needs a volume, not a {shape} plane.");
                }
                SwapBlocks(data, channels, shape.Depth, shape.PlaneSize);
                break;
        }
    }

    /// <summary>Reverses the order of the <paramref name="length"/> blocks of <paramref name="block"/> values in each of <paramref name="outer"/> runs.</summary>
    private static void SwapBlocks(float[] data, int outer, int length, int block)
    {
        var swap = new float[block];
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < length / 2; i++)
            {
                var a = data.AsSpan((o * length + i) * block, block);
                var b = data.AsSpan((o * length + length - 1 - i) * block, block);
                a.CopyTo(swap);
                b.CopyTo(a);
                swap.CopyTo(b);
            }
        }
    }
}
