using OpenCvSharp;

namespace MedSeg.Core.IO;

/// <summary>
/// Reads and writes single-channel PNG images as row-major <see cref="ushort"/> pixels (H×W), exactly:
/// 16-bit values round-trip unchanged, 8-bit grayscale is widened on read (value kept, not rescaled).
/// </summary>
public static class Png16
{
    /// <summary>OpenCV's own warnings (e.g. "[ WARN:0@0.002] global grfmt_png.cpp …" before a corrupt file) stay silent: MedSeg reports the file itself.</summary>
    static Png16() => Cv2.SetLogLevel(LogLevel.SILENT);

    /// <summary>Reads a grayscale image; <paramref name="height"/> and <paramref name="width"/> are in pixels.</summary>
    /// <exception cref="MedSegException">The file is missing, unreadable, corrupt, or not a 8/16-bit grayscale image.</exception>
    public static ushort[] Read(string path, out int height, out int width)
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
        using var mat = DecodeMat(bytes, path);
        height = mat.Rows;
        width = mat.Cols;
        var pixels = new ushort[checked(height * width)];
        var type = mat.Type();
        if (type == MatType.CV_16UC1)
        {
            CopyRows<ushort>(mat, pixels, width, (row, destination) => row.CopyTo(destination));
        }
        else if (type == MatType.CV_8UC1)
        {
            CopyRows<byte>(mat, pixels, width, Widen);
        }
        else
        {
            throw new MedSegException(
                $"Image {path} has {mat.Channels()} channel(s) of depth {DepthName(mat.Depth())}, but MedSeg reads only 8- or 16-bit grayscale images; convert it to a single-channel 16-bit PNG.");
        }
        return pixels;
    }

    /// <summary>
    /// Writes H×W row-major 16-bit pixels as a grayscale PNG, through a temporary file in the same folder that is
    /// then renamed over <paramref name="path"/>, so no half-written image is ever left behind.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<ushort> pixels, int height, int width)
    {
        byte[] png = Encode(pixels, height, width);
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, png));
    }

    /// <summary>Encodes H×W row-major 16-bit pixels as the bytes of a grayscale PNG file.</summary>
    public static byte[] Encode(ReadOnlySpan<ushort> pixels, int height, int width)
    {
        CheckSize(pixels.Length, height, width);
        using var mat = new Mat(height, width, MatType.CV_16UC1);
        pixels.CopyTo(PixelSpan<ushort>(mat, 0, height * width));
        return EncodeMat(mat);
    }

    /// <summary>Encodes a Mat (any type PNG supports) as PNG bytes, with fast compression.</summary>
    internal static byte[] EncodeMat(Mat mat)
    {
        Cv2.ImEncode(".png", mat, out byte[] png, new ImageEncodingParam(ImwriteFlags.PngCompression, 1));
        return png;
    }

    /// <summary>A writable view of <paramref name="count"/> elements of <paramref name="mat"/> starting at row <paramref name="row"/>.</summary>
    internal static unsafe Span<T> PixelSpan<T>(Mat mat, int row, int count) where T : unmanaged
        => new((void*)mat.Ptr(row), count);

    internal static void CheckSize(int length, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (length != (long)height * width)
        {
            throw new ArgumentException($"The pixel buffer has {length} elements but the image is {height}×{width}.");
        }
    }

    /// <summary>Decodes image bytes as stored (any depth and channel count); <paramref name="expected"/> names what to replace a corrupt file with.</summary>
    internal static Mat DecodeMat(byte[] bytes, string path, string expected = "a valid 16-bit grayscale PNG")
    {
        if (PngStructure.IsPng(bytes))
        {
            PngStructure.Check(bytes, path, expected);
        }
        Mat? mat = null;
        try
        {
            mat = bytes.Length == 0 ? null : Cv2.ImDecode(bytes, ImreadModes.Unchanged);
        }
        catch (OpenCVException)
        {
            mat?.Dispose();
            mat = null;
        }
        if (mat is null || mat.Empty())
        {
            mat?.Dispose();
            throw new MedSegException($"Image {path} is corrupt or not an image OpenCV can decode; replace it with {expected}.");
        }
        return mat;
    }

    private delegate void RowCopy<T>(ReadOnlySpan<T> row, Span<ushort> destination) where T : unmanaged;

    private static void CopyRows<T>(Mat mat, ushort[] pixels, int width, RowCopy<T> copy) where T : unmanaged
    {
        int rows = mat.Rows;
        for (int y = 0; y < rows; y++)
        {
            copy(PixelSpan<T>(mat, y, width), pixels.AsSpan(y * width, width));
        }
    }

    private static void Widen(ReadOnlySpan<byte> row, Span<ushort> destination)
    {
        for (int x = 0; x < row.Length; x++)
        {
            destination[x] = row[x];
        }
    }

    private static string DepthName(int depth) => depth switch
    {
        MatType.CV_8U => "8-bit unsigned",
        MatType.CV_8S => "8-bit signed",
        MatType.CV_16U => "16-bit unsigned",
        MatType.CV_16S => "16-bit signed",
        MatType.CV_32S => "32-bit integer",
        MatType.CV_32F => "32-bit float",
        MatType.CV_64F => "64-bit float",
        _ => $"code {depth}",
    };
}
