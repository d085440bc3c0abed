namespace MedSeg.Core.Preprocessing;

/// <summary>
/// Bilinear resizing of channel-major planes (channels×h×w float arrays) without corner alignment, as
/// <c>torch.nn.functional.interpolate(mode="bilinear", align_corners=False)</c> computes it (PyTorch's CPU kernel: source
/// coordinate (i + ½)·in/out − ½ clamped at 0, the lower neighbour clamped to the last row or column): the resizing of
/// the libtorch-free predictor. It equals libtorch's result up to float32 rounding (within 1.2e-7 for values in [0, 1]:
/// libtorch's vectorised kernel rounds its products and sums in another order), which MedSeg.Torch keeps using for its
/// own inputs.
/// </summary>
public static class BilinearResize
{
    /// <summary><paramref name="values"/> (channels×h×w) resized to <paramref name="height"/>×<paramref name="width"/>; the same array when the size already fits.</summary>
    public static float[] Planes(float[] values, int channels, int h, int w, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (h == height && w == width)
        {
            return values;
        }
        var rows = Axis(h, height);
        var columns = Axis(w, width);
        var result = new float[channels * height * width];
        for (var c = 0; c < channels; c++)
        {
            var source = values.AsSpan(c * h * w, h * w);
            var target = result.AsSpan(c * height * width, height * width);
            for (var y = 0; y < height; y++)
            {
                var (y0, y1, wy0, wy1) = rows[y];
                var top = source.Slice(y0 * w, w);
                var bottom = source.Slice(y1 * w, w);
                for (var x = 0; x < width; x++)
                {
                    var (x0, x1, wx0, wx1) = columns[x];
                    target[y * width + x] = wy0 * (wx0 * top[x0] + wx1 * top[x1]) + wy1 * (wx0 * bottom[x0] + wx1 * bottom[x1]);
                }
            }
        }
        return result;
    }

    /// <summary>Per output position along one axis: the two source indices and their weights.</summary>
    private static (int Low, int High, float LowWeight, float HighWeight)[] Axis(int input, int output)
    {
        var scale = (float)input / output;
        var axis = new (int, int, float, float)[output];
        for (var i = 0; i < output; i++)
        {
            var source = Math.Max(scale * (i + 0.5f) - 0.5f, 0f);
            var low = Math.Min((int)MathF.Floor(source), input - 1);
            var lambda = Math.Clamp(source - low, 0f, 1f);
            axis[i] = (low, low + (low < input - 1 ? 1 : 0), 1f - lambda, lambda);
        }
        return axis;
    }
}
