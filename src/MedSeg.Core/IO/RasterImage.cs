using OpenCvSharp;

namespace MedSeg.Core.IO;

/// <summary>
/// A 2-D image as stored in a PNG (or another lossless or JPEG file OpenCV reads): H×W pixels of
/// <see cref="Channels"/> values each (1 = gray, 3 = R, G, B), row-major and interleaved, values exact in
/// <see cref="ushort"/> whether the file holds 8 or 16 bits (<see cref="BitDepth"/>).
/// </summary>
public sealed record RasterImage(int Height, int Width, int Channels, int BitDepth, ushort[] Pixels)
{
    /// <summary>Reads 8- or 16-bit grayscale or 8-bit RGB.</summary>
    /// <exception cref="MedSegException">The file is missing, corrupt, or of another kind (e.g. with an alpha channel or 16-bit colour).</exception>
    public static RasterImage Read(string path)
    {
        using var mat = RgbPng.Decode(path, "a valid 8-bit gray, 16-bit gray or 8-bit RGB image");
        return From(mat, path);
    }

    /// <summary>The pixels of a decoded 8- or 16-bit grayscale or 8-bit RGB image read from <paramref name="path"/>.</summary>
    /// <exception cref="MedSegException">The image is of another kind.</exception>
    internal static RasterImage From(Mat mat, string path)
    {
        int height = mat.Rows, width = mat.Cols;
        var type = mat.Type();
        if (type == MatType.CV_8UC3)
        {
            var rgb = new byte[checked(height * width * 3)];
            RgbPng.CopyRgb(mat, rgb);
            return new RasterImage(height, width, 3, 8, Widen(rgb));
        }
        if (type == MatType.CV_8UC1 || type == MatType.CV_16UC1)
        {
            var pixels = new ushort[checked(height * width)];
            bool eight = type == MatType.CV_8UC1;
            for (int y = 0; y < height; y++)
            {
                var destination = pixels.AsSpan(y * width, width);
                if (eight)
                {
                    ReadOnlySpan<byte> row = Png16.PixelSpan<byte>(mat, y, width);
                    for (int x = 0; x < width; x++)
                    {
                        destination[x] = row[x];
                    }
                }
                else
                {
                    Png16.PixelSpan<ushort>(mat, y, width).CopyTo(destination);
                }
            }
            return new RasterImage(height, width, 1, eight ? 8 : 16, pixels);
        }
        throw new MedSegException(
            $"Image {path} has {mat.Channels()} channel(s) of {8 * mat.ElemSize1()}-bit values; MedSeg reads 8- or 16-bit grayscale and 8-bit RGB images, so convert it (drop any alpha channel).");
    }

    private static ushort[] Widen(byte[] bytes)
    {
        var wide = new ushort[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            wide[i] = bytes[i];
        }
        return wide;
    }
}
