namespace MedSeg.Core.Augmentations;

/// <summary>
/// An image and its mask as augmentations see them: <see cref="Image"/> is C×S float (all channels of a 2.5D stack,
/// or of a 3D patch, move together), <see cref="Mask"/> K×S float (0/1 per class, or class indices; possibly
/// K = 0), both laid out channel-major with S = H×W or D×H×W (<see cref="Shape"/>). Geometric transforms move both
/// with one random draw (the image interpolated, the mask by nearest neighbour); intensity transforms touch only the image.
/// </summary>
public sealed class AugmentationSample
{
    public AugmentationSample(float[] image, int imageChannels, float[] mask, int maskChannels, SpatialShape shape)
    {
        if (imageChannels < 1 || image.Length != imageChannels * shape.Voxels)
        {
            throw new ArgumentException($"the image must hold {imageChannels} channel(s) of {shape}, {imageChannels * shape.Voxels} values, not {image.Length}.", nameof(image));
        }
        if (maskChannels < 0 || mask.Length != maskChannels * shape.Voxels)
        {
            throw new ArgumentException($"the mask must hold {maskChannels} channel(s) of {shape}, {maskChannels * shape.Voxels} values, not {mask.Length}.", nameof(mask));
        }
        Image = image;
        ImageChannels = imageChannels;
        Mask = mask;
        MaskChannels = maskChannels;
        Shape = shape;
    }

    public float[] Image { get; }

    public int ImageChannels { get; }

    public float[] Mask { get; }

    public int MaskChannels { get; }

    public SpatialShape Shape { get; }

    /// <summary>A copy whose arrays are its own.</summary>
    public AugmentationSample Clone() => new((float[])Image.Clone(), ImageChannels, (float[])Mask.Clone(), MaskChannels, Shape);

    /// <summary>The same channels with new data of <paramref name="shape"/>.</summary>
    internal AugmentationSample With(float[] image, float[] mask, SpatialShape shape) => new(image, ImageChannels, mask, MaskChannels, shape);
}
