namespace MedSeg.Core.Augmentations;

/// <summary>
/// Copies a box of a sample: output voxel (z, y, x) reads source voxel (z + offset_z, y + offset_y, x + offset_x),
/// and voxels outside the source are filled (the image with a value, the mask with 0). Crops and pads are both boxes.
/// </summary>
internal static class SampleRegion
{
    /// <summary>The box of <paramref name="size"/> at <paramref name="offset"/> (both listed as <see cref="SpatialShape.Sizes"/>, offsets may be negative).</summary>
    public static AugmentationSample Copy(AugmentationSample sample, IReadOnlyList<int> offset, SpatialShape size, float imageFill)
    {
        var (oz, oy, ox) = sample.Shape.Dims == 2 ? (0, offset[0], offset[1]) : (offset[0], offset[1], offset[2]);
        var image = Copy(sample.Image, sample.ImageChannels, sample.Shape, size, oz, oy, ox, imageFill);
        var mask = Copy(sample.Mask, sample.MaskChannels, sample.Shape, size, oz, oy, ox, 0);
        return sample.With(image, mask, size);
    }

    private static float[] Copy(float[] data, int channels, SpatialShape from, SpatialShape to, int oz, int oy, int ox, float fill)
    {
        var output = new float[channels * to.Voxels];
        if (fill != 0)
        {
            Array.Fill(output, fill);
        }
        // The x range that lies inside the source, shared by every row.
        var x0 = Math.Max(0, -ox);
        var x1 = Math.Min(to.Width, from.Width - ox);
        if (x1 <= x0)
        {
            return output;
        }
        for (var c = 0; c < channels; c++)
        {
            for (var z = 0; z < to.Depth; z++)
            {
                var sz = z + oz;
                if ((uint)sz >= (uint)from.Depth)
                {
                    continue;
                }
                for (var y = 0; y < to.Height; y++)
                {
                    var sy = y + oy;
                    if ((uint)sy >= (uint)from.Height)
                    {
                        continue;
                    }
                    var source = ((c * from.Depth + sz) * from.Height + sy) * from.Width + ox;
                    var target = ((c * to.Depth + z) * to.Height + y) * to.Width;
                    Array.Copy(data, source + x0, output, target + x0, x1 - x0);
                }
            }
        }
        return output;
    }
}
