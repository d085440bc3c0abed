using System.Diagnostics;
using MedSeg.Core;
using MedSeg.Core.Data;

namespace MedSeg.Torch.Training;

/// <summary>
/// The labelled slices a run trains on, from the <c>--data</c> folder: a UW-Madison folder as it is, or an nnU-Net
/// raw dataset (recognised by its dataset.json, as <c>inspect --format auto</c> does) preprocessed once into
/// <c>RUN/preprocessed/</c> (<see cref="NnUnetSlices"/>; a <c>--fold all</c> run shares it between its folds), so the
/// dataset itself is never written to. A 3D run resamples every volume to its target spacing there (the dataset's
/// median spacing unless <c>--target-spacing</c> says otherwise), which the run's config records. Resuming reuses the
/// preprocessed folder after checking it matches the dataset.
/// </summary>
public static class TrainingData
{
    /// <summary>The data of a new run in <paramref name="runPath"/>, which must not hold files; preprocessing writes into it. Volumes keep their own grids.</summary>
    public static UwMadisonDataset ForNewRun(string dataPath, string runPath, Action<string>? message = null) =>
        NnUnetSource(dataPath) is { } dataset ? PreprocessInto(dataset, runPath, null, message) : UwMadisonDataset.Load(dataPath);

    /// <summary>
    /// The data of a new run of <paramref name="config"/> in <paramref name="runPath"/> (see the other overload), and the
    /// config with its target spacing resolved: for <c>--mode 3d</c> on nnU-Net data the spacing the volumes were resampled to.
    /// </summary>
    /// <exception cref="MedSegException"><c>--target-spacing</c> for UW-Madison data, or a dataset that cannot be preprocessed (no run folder is left).</exception>
    public static (UwMadisonDataset Data, TrainConfig Config) ForNewRun(string dataPath, TrainConfig config, string runPath, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (NnUnetSource(dataPath) is not { } dataset)
        {
            if (config.TargetSpacing is not null)
            {
                throw new MedSegException(
                    $"--target-spacing {config.TargetSpacing} resamples the NIfTI volumes of an nnU-Net dataset, but --data {dataPath} is UW-Madison PNG slices; leave it out.");
            }
            return (UwMadisonDataset.Load(dataPath), config);
        }
        var spacing = config.Mode == "3d" ? config.ParsedTargetSpacing ?? NnUnetSlices.MedianSpacing(dataset) : (StackSpacing?)null;
        return (PreprocessInto(dataset, runPath, spacing, message), config with { TargetSpacing = spacing?.ToString() });
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
        var spacing = run.Config.ParsedTargetSpacing;
        var own = Path.Combine(runPath, RunFolder.PreprocessedFolder);
        var parent = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(runPath))!, RunFolder.PreprocessedFolder);
        var existing = Directory.Exists(own) ? own : Path.GetFileName(Path.GetFullPath(runPath)).StartsWith("fold_", StringComparison.Ordinal) && Directory.Exists(parent) ? parent : null;
        return existing is null ? Preprocess(dataset, own, spacing, message) : NnUnetSlices.Open(existing, dataset, spacing);
    }

    /// <summary>The nnU-Net dataset at <paramref name="dataPath"/>, or null for a folder of another layout (read as UW-Madison data, as before).</summary>
    private static NnUnetDataset? NnUnetSource(string dataPath) =>
        NnUnetDataset.IsDatasetFolder(dataPath) ? NnUnetDataset.Load(dataPath) : null;

    /// <summary>Creates the run folder and preprocesses into it; a failure leaves no run folder.</summary>
    private static UwMadisonDataset PreprocessInto(NnUnetDataset dataset, string runPath, StackSpacing? spacing, Action<string>? message)
    {
        RunFolder.CreateEmpty(runPath);
        try
        {
            return Preprocess(dataset, Path.Combine(runPath, RunFolder.PreprocessedFolder), spacing, message);
        }
        catch when (!Directory.EnumerateFileSystemEntries(runPath).Any())
        {
            Directory.Delete(runPath);
            throw;
        }
    }

    private static UwMadisonDataset Preprocess(NnUnetDataset dataset, string target, StackSpacing? spacing, Action<string>? message)
    {
        var clock = Stopwatch.StartNew();
        var data = NnUnetSlices.Write(dataset, target, spacing);
        var resampled = spacing is { } s ? $", resampled to {s} mm" : "";
        message?.Invoke($"preprocessed {dataset.TrainingCases.Count} nnU-Net training cases ({data.SliceCount} slices, {data.Channels} channel(s){resampled}) of {dataset.Root} into {target} in {clock.Elapsed.TotalSeconds:F1} s");
        return data;
    }
}
