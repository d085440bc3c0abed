using static TorchSharp.torch;

namespace MedSeg.Torch.Data;

/// <summary>
/// Resizes channel-major planes (channels×h×w float arrays) as torch.nn.functional.interpolate does: bilinear without
/// corner alignment for images, nearest neighbour for masks (0/1 per class or class indices, which it never blends).
/// </summary>
public static class PlaneResize
{
    /// <summary><paramref name="values"/> (channels×h×w) resized to <paramref name="height"/>×<paramref name="width"/>; the same array when the size already fits.</summary>
    public static float[] Resize(float[] values, int channels, int h, int w, int height, int width, InterpolationMode mode)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (h == height && w == width)
        {
            return values;
        }
        using var scope = NewDisposeScope();
        var resized = nn.functional.interpolate(tensor(values, [1, channels, h, w]), size: [height, width], mode: mode,
            align_corners: mode == InterpolationMode.Nearest ? null : false);
        return resized.contiguous().data<float>().ToArray();
    }
}
