using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Rotates image and mask in the H×W plane by 90°, 180° or 270° counter-clockwise (as <c>numpy.rot90</c>), drawn
/// uniformly; a volume turns every depth slice alike. A non-square plane swaps its height and width.
/// </summary>
public sealed class RandomRotate90(double probability) : Augmentation(probability)
{
    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        var quarterTurns = 1 + random.NextInt(3);
        var shape = sample.Shape;
        int h = shape.Height, w = shape.Width;
        var (outH, outW) = quarterTurns == 2 ? (h, w) : (w, h);
        var source = new int[outH * outW];
        for (var y = 0; y < outH; y++)
        {
            for (var x = 0; x < outW; x++)
            {
                source[y * outW + x] = quarterTurns switch
                {
                    1 => x * w + (w - 1 - y),
                    2 => (h - 1 - y) * w + (w - 1 - x),
                    _ => (h - 1 - x) * w + y,
                };
            }
        }
        var outShape = shape.Dims == 2 ? SpatialShape.Plane(outH, outW) : SpatialShape.Volume(shape.Depth, outH, outW);
        return sample.With(Gather(sample.Image, source, shape.PlaneSize), Gather(sample.Mask, source, shape.PlaneSize), outShape);
    }

    private static float[] Gather(float[] data, int[] source, int plane)
    {
        var output = new float[data.Length];
        for (var offset = 0; offset < data.Length; offset += plane)
        {
            var input = data.AsSpan(offset, plane);
            var result = output.AsSpan(offset, plane);
            for (var p = 0; p < result.Length; p++)
            {
                result[p] = input[source[p]];
            }
        }
        return output;
    }
}
