using OpenCvSharp;

namespace MedSeg.Core.IO;

/// <summary>
/// Writes H×W values as a grayscale PNG, e.g. the class indices a folder dataset's masks/ holds: 8-bit while every
/// value is below 256 (what image viewers and CamVid tools expect of masks), 16-bit otherwise. <see cref="RasterImage.Read"/>
/// reads either back exactly.
/// </summary>
public static class GrayPng
{
    /// <summary>Writes <paramref name="values"/> to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static void Write(string path, ReadOnlySpan<ushort> values, int height, int width)
    {
        byte[] png = Encode(values, height, width);
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, png));
    }

    /// <summary>The PNG bytes of <paramref name="values"/> (row-major H×W).</summary>
    public static byte[] Encode(ReadOnlySpan<ushort> values, int height, int width)
    {
        Png16.CheckSize(values.Length, height, width);
        if (values.IndexOfAnyInRange((ushort)256, ushort.MaxValue) >= 0)
        {
            return Png16.Encode(values, height, width);
        }
        using var mat = new Mat(height, width, MatType.CV_8UC1);
        var pixels = Png16.PixelSpan<byte>(mat, 0, height * width);
        for (int i = 0; i < values.Length; i++)
        {
            pixels[i] = (byte)values[i];
        }
        return Png16.EncodeMat(mat);
    }
}
