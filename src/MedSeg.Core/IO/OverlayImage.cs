using OpenCvSharp;

namespace MedSeg.Core.IO;

/// <summary>
/// Renders a slice with its masks for a person to look at: the image windowed to its 1st–99th percentile as
/// gray, each mask as a semi-transparent fill with a solid outline in its own colour (red, green, blue, then
/// yellow, magenta, cyan, orange, purple, repeating).
/// </summary>
public static class OverlayImage
{
    private const float FillOpacity = 0.3f;

    private static readonly (byte R, byte G, byte B)[] Colours =
    [
        (230, 40, 40), (40, 210, 60), (50, 110, 255), (240, 220, 40),
        (230, 60, 220), (40, 220, 230), (255, 140, 20), (150, 80, 230),
    ];

    /// <summary>
    /// Writes an 8-bit RGB PNG of the H×W row-major <paramref name="image"/> with <paramref name="masks"/>
    /// (each H×W row-major, nonzero = inside) drawn over it, through a temporary file then a rename.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<ushort> image, int height, int width, IReadOnlyList<byte[]> masks)
    {
        byte[] png = Encode(image, height, width, masks);
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, png));
    }

    /// <summary>Renders as <see cref="Write"/> does and returns the PNG bytes.</summary>
    public static byte[] Encode(ReadOnlySpan<ushort> image, int height, int width, IReadOnlyList<byte[]> masks)
    {
        ArgumentNullException.ThrowIfNull(masks);
        return Render(image, height, width, masks.Select((mask, m) => new Layer(mask, ClassColour(m), FillOpacity)).ToArray());
    }

    /// <summary>The colour of the class at <paramref name="classIndex"/> (0 = the first class after background), repeating after eight.</summary>
    public static (byte R, byte G, byte B) ClassColour(int classIndex) => Colours[classIndex % Colours.Length];

    private static byte[] Render(ReadOnlySpan<ushort> image, int height, int width, Layer[] layers)
    {
        Png16.CheckSize(image.Length, height, width);
        foreach (Layer layer in layers)
        {
            Png16.CheckSize(layer.Mask.Length, height, width);
        }
        float[] gray = WindowedGray(image);

        using var mat = new Mat(height, width, MatType.CV_8UC3);
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = Png16.PixelSpan<byte>(mat, y, width * 3);
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                float r = gray[i], g = gray[i], b = gray[i];
                foreach (Layer layer in layers)
                {
                    if (layer.Mask[i] == 0)
                    {
                        continue;
                    }
                    float opacity = IsOutline(layer.Mask, x, y, height, width) ? 1f : layer.Fill;
                    r += (layer.Colour.R - r) * opacity;
                    g += (layer.Colour.G - g) * opacity;
                    b += (layer.Colour.B - b) * opacity;
                }
                // OpenCV stores colour pixels as B, G, R.
                row[3 * x] = (byte)(b + 0.5f);
                row[3 * x + 1] = (byte)(g + 0.5f);
                row[3 * x + 2] = (byte)(r + 0.5f);
            }
        }
        return Png16.EncodeMat(mat);
    }

    /// <summary>The image as gray levels 0–255: its 1st–99th percentile window stretched over the range, clamped outside it.</summary>
    internal static float[] WindowedGray(ReadOnlySpan<ushort> image)
    {
        (int low, int high) = PercentileWindow(image);
        float scale = 255f / Math.Max(1, high - low);
        var gray = new float[image.Length];
        for (int i = 0; i < image.Length; i++)
        {
            gray[i] = Math.Clamp((image[i] - low) * scale, 0f, 255f);
        }
        return gray;
    }

    /// <summary>The 1st and 99th percentile of the pixel values (nearest rank), from a 65,536-bin histogram.</summary>
    internal static (int Low, int High) PercentileWindow(ReadOnlySpan<ushort> image)
    {
        int[] histogram = new int[ushort.MaxValue + 1];
        foreach (ushort value in image)
        {
            histogram[value]++;
        }
        long lowRank = (long)(0.01 * (image.Length - 1));
        long highRank = (long)(0.99 * (image.Length - 1));
        int low = -1, high = -1;
        long seen = 0;
        for (int v = 0; v < histogram.Length && high < 0; v++)
        {
            seen += histogram[v];
            if (low < 0 && seen > lowRank)
            {
                low = v;
            }
            if (seen > highRank)
            {
                high = v;
            }
        }
        return (low, high);
    }

    private readonly record struct Layer(byte[] Mask, (byte R, byte G, byte B) Colour, float Fill);

    private static bool IsOutline(byte[] mask, int x, int y, int height, int width)
    {
        int i = y * width + x;
        return x == 0 || y == 0 || x == width - 1 || y == height - 1
            || mask[i - 1] == 0 || mask[i + 1] == 0 || mask[i - width] == 0 || mask[i + width] == 0;
    }
}
