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
    /// <exception cref="MedSegException">The file is missing, unreadable, or of another shape (the message names it).</exception>
    public static float[][] Read(string folder, string caseDayId, int classes, int depth, int height, int width)
    {
        using NpyArrayReader reader = Open(folder, caseDayId, classes, depth, height, width);
        var plane = depth * height * width;
        var maps = new float[classes][];
        for (var c = 0; c < classes; c++)
        {
            maps[c] = new float[plane];
            reader.Read(maps[c]);
        }
        return maps;
    }

    /// <summary>
    /// Opens the maps of <paramref name="caseId"/> for reading class by class and slice by slice (C order), after
    /// checking they hold <paramref name="classes"/> classes of <paramref name="depth"/> × <paramref name="height"/>
    /// × <paramref name="width"/> values.
    /// </summary>
    /// <exception cref="MedSegException">The file is missing, unreadable, or holds another class count or shape; the message names the file and the fix.</exception>
    public static NpyArrayReader Open(string folder, string caseId, int classes, int depth, int height, int width)
    {
        var path = Path.Combine(folder, caseId + ".npy");
        if (!File.Exists(path))
        {
            throw new MedSegException(
                $"{path} does not exist; the probabilities of {caseId} were not saved there (write them with medseg predict --save-probabilities {folder}).");
        }
        var reader = NpyArrayReader.Open(path);
        var shape = reader.Shape;
        if (shape.Count == 4 && shape[0] != classes && shape.Skip(1).SequenceEqual([depth, height, width]))
        {
            reader.Dispose();
            throw new MedSegException(
                $"{path} holds {shape[0]} classes but the evaluation has {classes}; save the probabilities of a model trained on the truth's classes.");
        }
        if (!shape.SequenceEqual([classes, depth, height, width]))
        {
            reader.Dispose();
            throw new MedSegException(
                $"{path} has shape ({string.Join(", ", shape)}) but {caseId} needs ({classes}, {depth}, {height}, {width}) (classes, slices, rows, columns); it belongs to other data, so save the probabilities of this data.");
        }
        return reader;
    }
}
