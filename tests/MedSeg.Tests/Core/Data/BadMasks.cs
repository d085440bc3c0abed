using MedSeg.Core.IO;
using OpenCvSharp;

namespace MedSeg.Tests.Core.Data;

/// <summary>Writes the masks a folder dataset must refuse, by name, for the tests of every path that reads masks.</summary>
internal static class BadMasks
{
    /// <summary>
    /// Writes a bad mask of <paramref name="kind"/>: <c>scan</c> (16-bit smooth gradient, a scan in masks/), <c>16-bit</c>
    /// (class indices 0 and 1 in 16 bits), <c>rgba</c>, <c>photo</c> (8-bit smooth gradient), <c>index64</c> (one pixel of
    /// index 64) or <c>binary255</c> (0 and 255).
    /// </summary>
    public static void Write(string path, string kind, int height, int width)
    {
        int n = height * width;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        switch (kind)
        {
            case "scan":
                Png16.Write(path, Enumerable.Range(0, n).Select(i => (ushort)(i * 40)).ToArray(), height, width);
                break;
            case "16-bit":
                Png16.Write(path, Enumerable.Range(0, n).Select(i => (ushort)(i % 2)).ToArray(), height, width);
                break;
            case "rgba":
                using (var mat = new Mat(height, width, MatType.CV_8UC4, Scalar.All(1)))
                {
                    Cv2.ImWrite(path, mat);
                }
                break;
            case "photo":
                FolderDatasetTests.WriteMask(path, height, width, Enumerable.Range(0, n).Select(i => (byte)(i * 255 / (n - 1))).ToArray());
                break;
            case "index64":
                FolderDatasetTests.WriteMask(path, height, width, Enumerable.Range(0, n).Select(i => (byte)(i == n - 1 ? 64 : i % 2)).ToArray());
                break;
            case "binary255":
                FolderDatasetTests.WriteMask(path, height, width, Enumerable.Range(0, n).Select(i => (byte)(i % 2 * 255)).ToArray());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "No such bad mask.");
        }
    }
}
