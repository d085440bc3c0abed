using MedSeg.Core.Augmentations;

namespace MedSeg.Tests.Core.Augmentations;

/// <summary>
/// Test samples with a box marker drawn on the image and the mask alike: image channel c holds (c + 1) inside the
/// box and 0 outside (so 2.5D channels are told apart), mask channel 0 holds 1 inside.
/// </summary>
internal static class MarkedSample
{
    /// <summary>A plane of <paramref name="channels"/> channels with the box rows [y0, y1) × columns [x0, x1).</summary>
    public static AugmentationSample Plane(int channels, int height, int width, int y0, int y1, int x0, int x1) =>
        Volume(channels, SpatialShape.Plane(height, width), 0, 1, y0, y1, x0, x1);

    public static AugmentationSample Volume(int channels, SpatialShape shape, int z0, int z1, int y0, int y1, int x0, int x1)
    {
        var image = new float[channels * shape.Voxels];
        var mask = new float[shape.Voxels];
        for (var z = z0; z < z1; z++)
        {
            for (var y = y0; y < y1; y++)
            {
                for (var x = x0; x < x1; x++)
                {
                    var v = (z * shape.Height + y) * shape.Width + x;
                    mask[v] = 1;
                    for (var c = 0; c < channels; c++)
                    {
                        image[c * shape.Voxels + v] = c + 1;
                    }
                }
            }
        }
        return new AugmentationSample(image, channels, mask, 1, shape);
    }

    /// <summary>Overlap (intersection over union) of "image channel c above half its marker value" with the mask.</summary>
    public static double Overlap(AugmentationSample sample, int channel)
    {
        var voxels = sample.Shape.Voxels;
        int both = 0, either = 0;
        for (var v = 0; v < voxels; v++)
        {
            var inImage = sample.Image[channel * voxels + v] > 0.5f * (channel + 1);
            var inMask = sample.Mask[v] > 0.5f;
            both += inImage && inMask ? 1 : 0;
            either += inImage || inMask ? 1 : 0;
        }
        return either == 0 ? 1 : (double)both / either;
    }

    /// <summary>How many mask voxels are set.</summary>
    public static int MaskCount(AugmentationSample sample) => sample.Mask.Count(v => v > 0.5f);

    /// <summary>Every channel equals (c + 1) × channel 0, as when all channels moved together.</summary>
    public static void AssertChannelsMovedTogether(AugmentationSample sample)
    {
        var voxels = sample.Shape.Voxels;
        for (var c = 1; c < sample.ImageChannels; c++)
        {
            for (var v = 0; v < voxels; v++)
            {
                Assert.Equal((c + 1) * sample.Image[v], sample.Image[c * voxels + v], 4);
            }
        }
    }
}
