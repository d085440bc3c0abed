using System.Globalization;
using MedSeg.Core;
using MedSeg.Core.Benchmarks;
using MedSeg.Core.Data;
using MedSeg.Torch.Benchmarks;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Studies;

/// <summary>
/// <c>medseg compare</c>: the 2D vs 2.5D vs 3D study of Avesta et al. (2023) on a UW-Madison or nnU-Net dataset. Every mode
/// is trained by <see cref="Trainer"/> into <c>OUT/MODE/</c> (a normal run folder) with the same seed and GroupKFold
/// split, so all of them validate on the same case-days; then each best model predicts those case-days through the
/// real predictor (<see cref="ValidationInference"/>) and is scored by the evaluation code. Training and inference are
/// timed and their peak memory measured the same way for every mode; the result goes to <c>OUT/compare.json</c>.
/// </summary>
public static class ModeComparison
{
    /// <summary>The study's result file in the output folder.</summary>
    public const string ResultFile = "compare.json";

    /// <summary>
    /// The study on the dataset folder <paramref name="dataPath"/>: a UW-Madison folder, or an nnU-Net raw dataset,
    /// which is first preprocessed once into <c>OUT/preprocessed/</c> (as <c>train</c> does, <see cref="TrainingData"/>)
    /// and shared by every mode; when a mode's options then prove invalid for the data, the folder is removed again.
    /// </summary>
    public static ModeComparisonResult Run(string dataPath, ModeComparisonOptions options, string outPath, TrainingEvents? events = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        RequireEmpty(outPath);
        if (!NnUnetDataset.IsDatasetFolder(dataPath))
        {
            return Run(UwMadisonDataset.Load(dataPath), options, outPath, events);
        }
        var data = TrainingData.ForNewRun(dataPath, outPath, events?.Message);
        Dictionary<string, long> parameters;
        try
        {
            parameters = CheckedParameters(data, options);
        }
        catch (MedSegException)
        {
            Directory.Delete(outPath, recursive: true);
            throw;
        }
        return TrainAndMeasure(data, options, parameters, outPath, events);
    }

    /// <summary>
    /// Checks every mode's config against the data before anything is written, then trains and measures the modes in
    /// the order given and writes <see cref="ResultFile"/> (to a temporary name, then renamed).
    /// </summary>
    /// <param name="outPath">A new or empty folder.</param>
    /// <param name="events">Training progress, and a line when a mode starts and when it is measured.</param>
    /// <exception cref="MedSegException">An option is invalid for some mode, or the folder holds files; nothing is written then.</exception>
    public static ModeComparisonResult Run(UwMadisonDataset data, ModeComparisonOptions options, string outPath, TrainingEvents? events = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        RequireEmpty(outPath);
        return TrainAndMeasure(data, options, CheckedParameters(data, options), outPath, events);
    }

    private static void RequireEmpty(string outPath)
    {
        if (File.Exists(outPath) || (Directory.Exists(outPath) && Directory.EnumerateFileSystemEntries(outPath).Any()))
        {
            throw new MedSegException($"--out {outPath} already exists and is not empty; choose a new folder (compare writes one run folder per mode into it).");
        }
    }

    private static Dictionary<string, long> CheckedParameters(UwMadisonDataset data, ModeComparisonOptions options) =>
        options.Modes.ToDictionary(m => m, m => CheckedParameters(data, options.ConfigFor(m), m));

    private static ModeComparisonResult TrainAndMeasure(UwMadisonDataset data, ModeComparisonOptions options, Dictionary<string, long> parameters,
        string outPath, TrainingEvents? events)
    {
        var config = TrainingDefaults.FitTo(options.Config, data, events?.Message);
        var split = FoldSplit.Of(data, config.Folds, int.Parse(config.Fold, CultureInfo.InvariantCulture), config.Seed);
        var trainingSlices = split.Train.Sum(c => c.Slices.Count);
        var loadBefore = MachineLoad.OneMinute();
        Directory.CreateDirectory(outPath);

        var modes = new List<ModeResult>();
        foreach (var mode in options.Modes)
        {
            var modeConfig = options.ConfigFor(mode);
            var runPath = Path.Combine(outPath, mode);
            events?.Message?.Invoke($"compare: mode {mode} ({modes.Count + 1}/{options.Modes.Count}): training {modeConfig.Arch}/{modeConfig.Encoder} "
                + $"({parameters[mode]:N0} parameters) into {runPath}");
            var (training, seconds, peakMb) = PeakMemory.Measure(() => Trainer.Train(data, modeConfig, runPath, events));
            var (inference, score, distances) = ValidationInference.Run(runPath, modeConfig, data, split.Validation);
            var result = new ModeResult(mode, runPath, modeConfig, parameters[mode], training,
                TrainingCost.From(training.Epochs, trainingSlices, seconds, peakMb), inference, score, distances);
            modes.Add(result);
            events?.Message?.Invoke($"compare: mode {mode} measured: score {score.Score:F4}, dice {score.Overall.Dice:F4}, HD95 {distances.Overall.Hd95:F1} mm, "
                + $"{result.TrainingCost.SecondsPerExamplePerEpoch * 1000:F1} ms per {result.Example} per epoch, {inference.MsPerSlice:F1} ms per slice to predict");
        }
        var comparison = new ModeComparisonResult(data.Root, data.Classes, config, split, modes, loadBefore, MachineLoad.OneMinute());
        AtomicFile.WriteAllText(Path.Combine(outPath, ResultFile), comparison.ToJsonText() + "\n");
        return comparison;
    }

    private static long CheckedParameters(UwMadisonDataset data, TrainConfig config, string mode)
    {
        try
        {
            return Trainer.Check(data, config);
        }
        catch (MedSegException e)
        {
            throw new MedSegException($"mode {mode}: {e.Message}", e);
        }
    }
}
