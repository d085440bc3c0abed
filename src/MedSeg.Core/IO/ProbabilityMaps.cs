namespace MedSeg.Core.IO;

/// <summary>
/// A case-day's per-class probability maps on disk: <c>FOLDER/CASEDAY.npy</c>, float16, shape C×D×H×W (classes, slices
/// in slice order, rows, columns) — written by <c>predict --save-probabilities</c> and as out-of-fold predictions.
/// </summary>
public static class ProbabilityMaps
{
    public static void Write(string folder, string caseDayId, float[][] probabilities, int depth, int height, int width)
    {
        var plane = depth * height * width;
        var all = new float[probabilities.Length * plane];
        for (var c = 0; c < probabilities.Length; c++)
        {
            probabilities[c].CopyTo(all, c * plane);
        }
        NpyFile.WriteFloat16(Path.Combine(folder, caseDayId + ".npy"), all, [probabilities.Length, depth, height, width]);
    }

    /// <summary>Reads the maps of <paramref name="caseDayId"/>, checking they have the expected shape.</summary>
    public static float[][] Read(string folder, string caseDayId, int classes, int depth, int height, int width)
    {
        var path = Path.Combine(folder, caseDayId + ".npy");
        if (!File.Exists(path))
        {
            throw new MedSegException($"{path} does not exist; the probabilities of {caseDayId} were not saved there.");
        }
        var all = NpyFile.Read(path, out var shape);
        if (!shape.SequenceEqual([classes, depth, height, width]))
        {
            throw new MedSegException(
                $"{path} has shape ({string.Join(", ", shape)}) but {caseDayId} needs ({classes}, {depth}, {height}, {width}); it belongs to other data.");
        }
        var plane = depth * height * width;
        return Enumerable.Range(0, classes).Select(c => all.AsSpan(c * plane, plane).ToArray()).ToArray();
    }
}
