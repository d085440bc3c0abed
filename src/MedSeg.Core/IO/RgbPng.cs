using OpenCvSharp;

namespace MedSeg.Core.IO;

/// <summary>
/// Reads and writes 8-bit colour PNG images as row-major interleaved R, G, B bytes (H×W×3), exactly. OpenCV keeps
/// colour pixels as B, G, R; the swap happens here, so callers only ever see RGB.
/// </summary>
public static class RgbPng
{
    /// <summary>Reads an 8-bit, 3-channel image; <paramref name="height"/> and <paramref name="width"/> are in pixels.</summary>
    /// <exception cref="MedSegException">The file is missing, unreadable, corrupt, or not 8-bit RGB.</exception>
    public static byte[] Read(string path, out int height, out int width)
    {
        using var mat = Decode(path, "a valid 8-bit RGB PNG");
        if (mat.Type() != MatType.CV_8UC3)
        {
            throw new MedSegException(
                $"Image {path} has {mat.Channels()} channel(s) of {8 * mat.ElemSize1()}-bit values, but an RGB image has 3 channels of 8 bits; convert it to 8-bit RGB.");
        }
        height = mat.Rows;
        width = mat.Cols;
        var rgb = new byte[checked(height * width * 3)];
        CopyRgb(mat, rgb);
        return rgb;
    }

    /// <summary>Writes H×W×3 interleaved RGB bytes as a colour PNG, through a temporary file then a rename.</summary>
    public static void Write(string path, ReadOnlySpan<byte> rgb, int height, int width)
    {
        byte[] png = Encode(rgb, height, width);
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, png));
    }

    /// <summary>Encodes H×W×3 interleaved RGB bytes as the bytes of a colour PNG file.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> rgb, int height, int width)
    {
        if (rgb.Length % 3 != 0)
        {
            throw new ArgumentException($"An RGB buffer holds 3 bytes per pixel, but this one has {rgb.Length} bytes.", nameof(rgb));
        }
        Png16.CheckSize(rgb.Length / 3, height, width);
        using var mat = new Mat(height, width, MatType.CV_8UC3);
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = Png16.PixelSpan<byte>(mat, y, width * 3);
            var source = rgb.Slice(y * width * 3, width * 3);
            for (int x = 0; x < row.Length; x += 3)
            {
                row[x] = source[x + 2];
                row[x + 1] = source[x + 1];
                row[x + 2] = source[x];
            }
        }
        return Png16.EncodeMat(mat);
    }

    /// <summary>Reads and decodes an image file as stored (any depth and channel count).</summary>
    internal static Mat Decode(string path, string expected)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MedSegException($"Cannot read image {path} ({e.Message}); check that the file exists and is readable.", e);
        }
        return Png16.DecodeMat(bytes, path, expected);
    }

    /// <summary>Copies a CV_8UC3 (B, G, R) image into <paramref name="rgb"/> as R, G, B.</summary>
    internal static void CopyRgb(Mat mat, Span<byte> rgb)
    {
        int width = mat.Cols, height = mat.Rows;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = Png16.PixelSpan<byte>(mat, y, width * 3);
            var destination = rgb.Slice(y * width * 3, width * 3);
            for (int x = 0; x < row.Length; x += 3)
            {
                destination[x] = row[x + 2];
                destination[x + 1] = row[x + 1];
                destination[x + 2] = row[x];
            }
        }
    }
}
