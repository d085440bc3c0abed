using MedSeg.Core.IO;
using OpenCvSharp;

namespace MedSeg.Core.Data;

/// <summary>
/// The one check of a folder dataset's mask (inspect, train, evaluate all read masks through it): an 8-bit
/// single-channel image of class indices, 0 = background, each index a class of classes.txt, or below
/// <see cref="UnnamedClassLimit"/> without that file. A 16-bit or colour file, or one with more distinct values than
/// there can be classes (a scan saved in masks/), is refused by name rather than read as thousands of classes. A mask of
/// only 0 and 255 is a binary mask (255 = class 1) unless classes.txt names more than two classes.
/// </summary>
public static class FolderMask
{
    /// <summary>Classes a mask may index when no classes.txt names them (indices 0 to 63).</summary>
    public const int UnnamedClassLimit = 64;

    /// <summary>The foreground value of a binary mask drawn as 0/255, read as class 1.</summary>
    private const int BinaryForeground = 255;

    /// <summary>Reads the mask at <paramref name="path"/> (H×W class indices) and checks it.</summary>
    /// <param name="classCount">The number of classes classes.txt names, or null without that file.</param>
    /// <exception cref="MedSegException">An unreadable file, a colour or non-8-bit mask, a mask that looks like an image, or an index that is no class.</exception>
    public static RasterImage Read(string path, int? classCount)
    {
        var mask = Decode(path);
        var present = LabelValues.Present(mask.Pixels, 1 << mask.BitDepth);
        bool imageLike = present.Count > Math.Max(UnnamedClassLimit, classCount ?? 0);
        if (mask.BitDepth != 8 || imageLike)
        {
            string what = mask.BitDepth != 8
                ? $"is a {mask.BitDepth}-bit image{(imageLike ? $" with {present.Count} different values" : "")}"
                : $"holds {present.Count} different values, like an image rather than class indices";
            throw NotClassIndices(path, what, imageLike);
        }
        if (present is [0, BinaryForeground] or [BinaryForeground] && classCount is null or 2)
        {
            // A binary mask saved as 0/255 (the usual way to draw one): 255 is the foreground class 1.
            mask.Pixels.AsSpan().Replace((ushort)BinaryForeground, (ushort)1);
            return mask;
        }
        int limit = classCount ?? UnnamedClassLimit;
        int bad = mask.Pixels.AsSpan().IndexOfAnyInRange((ushort)limit, ushort.MaxValue);
        if (bad >= 0)
        {
            string where = $"Mask {path} has value {mask.Pixels[bad]} at row {bad / mask.Width}, column {bad % mask.Width}";
            throw new MedSegException(classCount is null
                ? $"{where}, but without classes.txt a mask holds class indices 0 to {limit - 1} (a two-class mask holds 0 and 1, not 0 and 255); fix the mask, or name the classes in classes.txt (one per line, background first)."
                : $"{where}, but classes.txt defines classes 0 to {limit - 1}; fix the mask or add the class to classes.txt.");
        }
        return mask;
    }

    private static RasterImage Decode(string path)
    {
        using var mat = RgbPng.Decode(path, "an 8-bit grayscale PNG of class indices");
        if (mat.Channels() != 1)
        {
            throw new MedSegException(
                $"Mask {path} has {mat.Channels()} channels, but a mask holds one class index per pixel; save it as an 8-bit grayscale PNG of class indices (not colours).");
        }
        if (mat.Depth() != MatType.CV_8U && mat.Depth() != MatType.CV_16U)
        {
            throw NotClassIndices(path, $"is a {8 * mat.ElemSize1()}-bit image", imageLike: false);
        }
        return RasterImage.From(mat, path);
    }

    private static MedSegException NotClassIndices(string path, string what, bool imageLike) => new(
        $"Mask {path} {what}; masks must be 8-bit grayscale PNGs of class indices (0 = background){(imageLike ? " — is a scan in masks/?" : ", so save it as 8-bit.")}");
}
