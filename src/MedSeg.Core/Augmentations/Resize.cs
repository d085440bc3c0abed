using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Resizes to <see cref="Size"/> (H, W or D, H, W) as the tensor pipeline does (PyTorch's <c>interpolate</c>):
/// the image (bi/tri)linearly with <c>align_corners=False</c>, the mask by nearest neighbour.
/// </summary>
public sealed class Resize : Augmentation
{
    public Resize(IReadOnlyList<int> size, double probability = 1.0) : base(probability)
    {
        if (size.Count is not (2 or 3) || size.Any(s => s < 1))
        {
            throw new ArgumentException("a size is 2 or 3 positive numbers.", nameof(size));
        }
        Size = size.ToArray();
    }

    public IReadOnlyList<int> Size { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        CheckAxes("resize", Size, sample);
        var target = SpatialShape.Of(Size);
        return target == sample.Shape
            ? sample
            : sample.With(Scale(sample.Image, sample.ImageChannels, sample.Shape, target, AxisResampler.Linear),
                Scale(sample.Mask, sample.MaskChannels, sample.Shape, target, AxisResampler.Nearest), target);
    }

    private static float[] Scale(float[] data, int channels, SpatialShape from, SpatialShape to,
        Func<float[], int, int, int, int, float[]> resample)
    {
        // Width, then height, then depth: layouts [C·D·H][W], [C·D][H][W'], [C][D][H'·W'].
        if (from.Width != to.Width)
        {
            data = resample(data, channels * from.Depth * from.Height, from.Width, 1, to.Width);
        }
        if (from.Height != to.Height)
        {
            data = resample(data, channels * from.Depth, from.Height, to.Width, to.Height);
        }
        if (from.Depth != to.Depth)
        {
            data = resample(data, channels, from.Depth, to.PlaneSize, to.Depth);
        }
        return data;
    }
}
