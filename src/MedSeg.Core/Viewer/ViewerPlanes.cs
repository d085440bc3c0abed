using MedSeg.Core.IO;

namespace MedSeg.Core.Viewer;

/// <summary>
/// The slices of a <see cref="ViewerCase"/> as the PNGs the page embeds, shrunk by a whole <c>factor</c> in rows and
/// columns: gray images and masks as 8-bit RGB with the 16-bit value split into R (high byte) and G (low byte), so
/// the page reads exact values back from a canvas; RGB images as they are. An image block is averaged, a mask block
/// takes its centre pixel's value (labels are not averaged). An all-zero mask slice is left out (null).
/// </summary>
public sealed record ViewerPlanes(int Height, int Width, string[] Images, string?[]? Truth, string?[]? Pred)
{
    /// <summary>Bytes of base64 text the planes add to the page.</summary>
    public long Bytes => Images.Sum(s => (long)s.Length) + Sum(Truth) + Sum(Pred);

    /// <summary>Encodes every slice of <paramref name="viewerCase"/> shrunk <paramref name="factor"/> times.</summary>
    public static ViewerPlanes Encode(ViewerCase viewerCase, int factor)
    {
        ArgumentNullException.ThrowIfNull(viewerCase);
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        int height = Math.Max(1, viewerCase.Height / factor), width = Math.Max(1, viewerCase.Width / factor);
        var images = new string[viewerCase.Depth];
        string?[]? truth = viewerCase.Truth is null ? null : new string?[viewerCase.Depth];
        string?[]? pred = viewerCase.Pred is null ? null : new string?[viewerCase.Depth];
        Parallel.For(0, viewerCase.Depth, z =>
        {
            images[z] = Convert.ToBase64String(EncodeImage(viewerCase, z, factor, height, width));
            if (truth is not null)
            {
                truth[z] = EncodeMask(viewerCase, viewerCase.Truth!, z, factor, height, width);
            }
            if (pred is not null)
            {
                pred[z] = EncodeMask(viewerCase, viewerCase.Pred!, z, factor, height, width);
            }
        });
        return new ViewerPlanes(height, width, images, truth, pred);
    }

    private static long Sum(string?[]? planes) => planes?.Sum(s => (long)(s?.Length ?? 0)) ?? 0;

    private static byte[] EncodeImage(ViewerCase c, int z, int factor, int height, int width)
    {
        int channels = c.Channels;
        var rgb = new byte[height * width * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int ch = 0; ch < channels; ch++)
                {
                    long sum = 0;
                    for (int dy = 0; dy < factor; dy++)
                    {
                        for (int dx = 0; dx < factor; dx++)
                        {
                            sum += c.Pixels[((z * c.Height + y * factor + dy) * c.Width + x * factor + dx) * channels + ch];
                        }
                    }
                    int value = (int)((sum + factor * factor / 2) / (factor * factor));
                    int o = (y * width + x) * 3;
                    if (channels == 3)
                    {
                        rgb[o + ch] = (byte)Math.Min(value, 255);
                    }
                    else
                    {
                        (rgb[o], rgb[o + 1]) = ((byte)(value >> 8), (byte)value);
                    }
                }
            }
        }
        return RgbPng.Encode(rgb, height, width);
    }

    private static string? EncodeMask(ViewerCase c, ushort[] mask, int z, int factor, int height, int width)
    {
        var rgb = new byte[height * width * 3];
        bool any = false;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                ushort value = mask[(z * c.Height + y * factor + factor / 2) * c.Width + x * factor + factor / 2];
                int o = (y * width + x) * 3;
                (rgb[o], rgb[o + 1]) = ((byte)(value >> 8), (byte)value);
                any |= value != 0;
            }
        }
        return any ? Convert.ToBase64String(RgbPng.Encode(rgb, height, width)) : null;
    }
}
