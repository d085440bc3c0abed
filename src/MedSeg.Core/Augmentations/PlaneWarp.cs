namespace MedSeg.Core.Augmentations;

/// <summary>
/// Resamples every plane of a sample (each channel, each depth slice) at given source positions: the image
/// bilinearly, the mask by nearest neighbour, so one warp moves both and the mask keeps its values. Positions are in
/// pixels of the source plane, pixel centres at integers.
/// </summary>
internal static class PlaneWarp
{
    /// <summary>A sample of the same shape whose output pixel p of every plane is read at (<paramref name="sourceY"/>[p], <paramref name="sourceX"/>[p]).</summary>
    public static AugmentationSample Apply(AugmentationSample sample, ReadOnlySpan<float> sourceY, ReadOnlySpan<float> sourceX, BorderMode border)
    {
        var shape = sample.Shape;
        int height = shape.Height, width = shape.Width, plane = shape.PlaneSize;
        var imagePlanes = sample.ImageChannels * shape.Depth;
        var maskPlanes = sample.MaskChannels * shape.Depth;
        var source = sample.Image;
        var sourceMask = sample.Mask;
        var image = new float[source.Length];
        var mask = new float[sourceMask.Length];
        for (var p = 0; p < plane; p++)
        {
            // Far-away positions read the border anyway; clamping keeps the integer conversion exact.
            var sy = Math.Clamp(sourceY[p], -height, 2f * height);
            var sx = Math.Clamp(sourceX[p], -width, 2f * width);
            var floorY = MathF.Floor(sy);
            var floorX = MathF.Floor(sx);
            int y0 = (int)floorY, x0 = (int)floorX;
            float ty = sy - floorY, tx = sx - floorX;
            int r0 = Border.Resolve(y0, height, border), r1 = Border.Resolve(y0 + 1, height, border);
            int c0 = Border.Resolve(x0, width, border), c1 = Border.Resolve(x0 + 1, width, border);
            int i00 = Index(r0, c0, width), i01 = Index(r0, c1, width), i10 = Index(r1, c0, width), i11 = Index(r1, c1, width);
            float w00 = (1 - ty) * (1 - tx), w01 = (1 - ty) * tx, w10 = ty * (1 - tx), w11 = ty * tx;
            for (int k = 0, offset = 0; k < imagePlanes; k++, offset += plane)
            {
                var v = 0f;
                if (i00 >= 0) v += w00 * source[offset + i00];
                if (i01 >= 0) v += w01 * source[offset + i01];
                if (i10 >= 0) v += w10 * source[offset + i10];
                if (i11 >= 0) v += w11 * source[offset + i11];
                image[offset + p] = v;
            }
            // Nearest neighbour: the bilinear neighbour with the larger weight along each axis.
            var nearest = Index(ty < 0.5f ? r0 : r1, tx < 0.5f ? c0 : c1, width);
            for (int k = 0, offset = 0; k < maskPlanes; k++, offset += plane)
            {
                mask[offset + p] = nearest < 0 ? 0 : sourceMask[offset + nearest];
            }
        }
        return sample.With(image, mask, shape);
    }

    private static int Index(int row, int column, int width) => row < 0 || column < 0 ? -1 : row * width + column;
}
