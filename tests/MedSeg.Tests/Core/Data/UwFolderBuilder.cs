using MedSeg.Core.IO;

namespace MedSeg.Tests.Core.Data;

/// <summary>Builds small hand-made UW-Madison folders: images of a given size and a train.csv written as text.</summary>
internal static class UwFolderBuilder
{
    /// <summary>Writes a 16-bit image at <c>root/split/caseN/caseN_dayM/scans/slice_XXXX_W_H_1.50_1.50.png</c>, pixel i = i + offset.</summary>
    public static string AddImage(string root, int caseNumber, int day, int slice, int height = 3, int width = 5, string split = "train", int offset = 0, string? nameOverride = null)
    {
        string scans = Path.Combine(root, split, $"case{caseNumber}", $"case{caseNumber}_day{day}", "scans");
        string name = nameOverride ?? $"slice_{slice:D4}_{width}_{height}_1.50_1.50.png";
        var pixels = Enumerable.Range(0, height * width).Select(i => (ushort)(i + offset)).ToArray();
        string path = Path.Combine(scans, name);
        Png16.Write(path, pixels, height, width);
        return path;
    }

    public static void WriteCsv(string root, params string[] lines) =>
        File.WriteAllText(Path.Combine(root, "train.csv"), string.Join("\n", lines) + "\n");
}
