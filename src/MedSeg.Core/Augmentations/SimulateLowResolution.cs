using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Simulates a scan taken at a lower in-plane resolution (nnU-Net's SimulateLowResolutionTransform): every image
/// plane is down-sampled by a factor drawn from <see cref="Zoom"/> (nearest neighbour, as a coarser acquisition
/// samples the scene) and resized back to its own size linearly, so the shape is kept and edges blur into steps. A
/// volume is treated slice by slice (its depth is usually coarse already). The mask is untouched.
/// </summary>
public sealed class SimulateLowResolution : Augmentation
{
    public SimulateLowResolution(double probability, ValueRange zoom) : base(probability)
    {
        if (!(zoom.Low > 0 && zoom.High <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(zoom), zoom, "zoom factors lie in (0, 1].");
        }
        Zoom = zoom;
    }

    /// <summary>The range of the factor by which each side of the plane shrinks before it is resized back (1 = unchanged).</summary>
    public ValueRange Zoom { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        var zoom = Zoom.Draw(random);
        var shape = sample.Shape;
        int height = shape.Height, width = shape.Width;
        int lowHeight = Math.Max(1, (int)Math.Round(height * zoom)), lowWidth = Math.Max(1, (int)Math.Round(width * zoom));
        if (lowHeight == height && lowWidth == width)
        {
            return sample;
        }
        var planes = sample.ImageChannels * shape.Depth;
        // Rows then columns, down and back up: layouts [planes·H][W] and [planes][H][W'].
        var image = AxisResampler.Nearest(sample.Image, planes * height, width, 1, lowWidth);
        image = AxisResampler.Nearest(image, planes, height, lowWidth, lowHeight);
        image = AxisResampler.Linear(image, planes * lowHeight, lowWidth, 1, width);
        image = AxisResampler.Linear(image, planes, lowHeight, width, height);
        return sample.With(image, sample.Mask, shape);
    }
}
