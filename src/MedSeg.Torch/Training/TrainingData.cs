using System.Diagnostics;
using MedSeg.Core;
using MedSeg.Core.Data;

namespace MedSeg.Torch.Training;

/// <summary>
/// The labelled slices a run trains on, from the <c>--data</c> folder: a UW-Madison folder as it is, or an nnU-Net
/// raw dataset (recognised by its dataset.json, as <c>inspect --format auto</c> does) preprocessed once into
/// <c>RUN/preprocessed/</c> (<see cref="NnUnetSlices"/>; a <c>--fold all</c> run shares it between its folds), so the
/// dataset itself is never written to. Resuming reuses the preprocessed folder after checking it matches the dataset.
/// </summary>
public static class TrainingData
{
    /// <summary>The data of a new run in <paramref name="runPath"/>, which must not hold files; preprocessing writes into it.</summary>
    public static UwMadisonDataset ForNewRun(string dataPath, string runPath, Action<string>? message = null)
    {
        if (NnUnetSource(dataPath) is not { } dataset)
        {
            return UwMadisonDataset.Load(dataPath);
        }
        RunFolder.CreateEmpty(runPath);
        try
        {
            return Preprocess(dataset, Path.Combine(runPath, RunFolder.PreprocessedFolder), message);
        }
        catch when (!Directory.EnumerateFileSystemEntries(runPath).Any())
        {
            Directory.Delete(runPath);
            throw;
        }
    }

    /// <summary>The data to resume the run in <paramref name="runPath"/> with (its preprocessed folder, or its fold-all parent's, when the data is nnU-Net).</summary>
    public static UwMadisonDataset ForResume(string dataPath, string runPath, Action<string>? message = null)
    {
        if (NnUnetSource(dataPath) is not { } dataset)
        {
            return UwMadisonDataset.Load(dataPath);
        }
        var run = RunFolder.Load(runPath, requireModel: false);
        if (run.Info.Intensity is null)
        {
            throw new MedSegException($"run {runPath} was trained on UW-Madison data, but --data {dataPath} is an nnU-Net dataset; resume it with the data it was trained on.");
        }
        var own = Path.Combine(runPath, RunFolder.PreprocessedFolder);
        var parent = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(runPath))!, RunFolder.PreprocessedFolder);
        var existing = Directory.Exists(own) ? own : Path.GetFileName(Path.GetFullPath(runPath)).StartsWith("fold_", StringComparison.Ordinal) && Directory.Exists(parent) ? parent : null;
        return existing is null ? Preprocess(dataset, own, message) : NnUnetSlices.Open(existing, dataset);
    }

    /// <summary>The nnU-Net dataset at <paramref name="dataPath"/>, or null for a folder of another layout (read as UW-Madison data, as before).</summary>
    private static NnUnetDataset? NnUnetSource(string dataPath) =>
        NnUnetDataset.IsDatasetFolder(dataPath) ? NnUnetDataset.Load(dataPath) : null;

    private static UwMadisonDataset Preprocess(NnUnetDataset dataset, string target, Action<string>? message)
    {
        var clock = Stopwatch.StartNew();
        var data = NnUnetSlices.Write(dataset, target);
        message?.Invoke($"preprocessed {dataset.TrainingCases.Count} nnU-Net training cases ({data.SliceCount} slices) of {dataset.Root} into {target} in {clock.Elapsed.TotalSeconds:F1} s");
        return data;
    }
}
