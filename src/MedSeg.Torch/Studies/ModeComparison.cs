using System.Globalization;
using MedSeg.Core;
using MedSeg.Core.Benchmarks;
using MedSeg.Core.Data;
using MedSeg.Core.Reports;
using MedSeg.Torch.Benchmarks;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Studies;

/// <summary>
/// <c>medseg compare</c>: the 2D vs 2.5D vs 3D study of Avesta et al. (2023) on a UW-Madison or nnU-Net dataset. Every mode
/// (× architecture of <c>--archs</c> × training-set size of <c>--train-sizes</c>) is trained by <see cref="Trainer"/> into
/// its own run folder (<see cref="StudyRun.Folder"/>) with the same seed and GroupKFold split, so all of them validate on
/// the same case-days; then each best model predicts those case-days through the real predictor
/// (<see cref="ValidationInference"/>) and is scored by the evaluation code. Training and inference are timed and their
/// peak memory measured the same way for every run; the result goes to <c>OUT/compare.json</c>, <c>OUT/compare.md</c>
/// and <c>OUT/report.html</c>.
/// </summary>
public static class ModeComparison
{
    /// <summary>The study's result file in the output folder.</summary>
    public const string ResultFile = "compare.json";

    /// <summary>The study's table as Markdown, in the output folder.</summary>
    public const string MarkdownFile = "compare.md";

    /// <summary>The study's self-contained HTML report with its plots, in the output folder.</summary>
    public const string ReportFile = "report.html";

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
        IReadOnlyList<StudyRun> plan;
        try
        {
            plan = Plan(data, options);
        }
        catch (MedSegException)
        {
            Directory.Delete(outPath, recursive: true);
            throw;
        }
        return TrainAndMeasure(data, options, plan, outPath, events);
    }

    /// <summary>
    /// Checks every run's config against the data before anything is written, then trains and measures the runs (for
    /// each training-set size, each architecture, each mode, in the order given) and writes <see cref="ResultFile"/>,
    /// <see cref="MarkdownFile"/> and <see cref="ReportFile"/> (each to a temporary name, then renamed).
    /// </summary>
    /// <param name="outPath">A new or empty folder.</param>
    /// <param name="events">Training progress, and a line when a run starts and when it is measured.</param>
    /// <exception cref="MedSegException">An option is invalid for some run, or the folder holds files; nothing is written then.</exception>
    public static ModeComparisonResult Run(UwMadisonDataset data, ModeComparisonOptions options, string outPath, TrainingEvents? events = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        RequireEmpty(outPath);
        return TrainAndMeasure(data, options, Plan(data, options), outPath, events);
    }

    private static void RequireEmpty(string outPath)
    {
        if (File.Exists(outPath) || (Directory.Exists(outPath) && Directory.EnumerateFileSystemEntries(outPath).Any()))
        {
            throw new MedSegException($"--out {outPath} already exists and is not empty; choose a new folder (compare writes one run folder per mode into it).");
        }
    }

    /// <summary>
    /// Every run of the study, checked (<see cref="Trainer.Check"/>): the training-set sizes resolved against the fold's
    /// training cases, then each architecture's network for each mode.
    /// </summary>
    private static IReadOnlyList<StudyRun> Plan(UwMadisonDataset data, ModeComparisonOptions options)
    {
        var config = TrainingDefaults.FitTo(options.Config, data);
        var split = FoldSplit.Of(data, config with { TrainCases = null });
        var available = split.TrainCases.Count;
        IReadOnlyList<int?> sizes = options.TrainSizes is { } given ? [.. given.Select(s => (int?)s.Cases(available))] : [null];
        if (sizes.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } same)
        {
            throw new MedSegException(
                $"--train-sizes {string.Join(",", options.TrainSizes!.Select(s => s.Text))} gives {same.Key} training cases twice (of the fold's {available}); give sizes that differ in cases.");
        }
        IReadOnlyList<StudyArchitecture?> architectures = options.Architectures is { } archs ? [.. archs] : [null];
        var plan = new List<StudyRun>();
        foreach (var cases in sizes)
        {
            foreach (var architecture in architectures)
            {
                foreach (var mode in options.Modes)
                {
                    var runConfig = (architecture is null ? options.ConfigFor(mode) : options.ConfigFor(mode, architecture)) with { TrainCases = cases };
                    var run = new StudyRun(mode, architecture, cases, runConfig, StudyRun.FolderOf(mode, architecture, cases), 0);
                    plan.Add(run with { Parameters = CheckedParameters(data, run) });
                }
            }
        }
        return plan;
    }

    private static ModeComparisonResult TrainAndMeasure(UwMadisonDataset data, ModeComparisonOptions options, IReadOnlyList<StudyRun> plan,
        string outPath, TrainingEvents? events)
    {
        var config = TrainingDefaults.FitTo(options.Config, data, events?.Message);
        var split = FoldSplit.Of(data, config with { TrainCases = null });
        var loadBefore = MachineLoad.OneMinute();
        Directory.CreateDirectory(outPath);

        var modes = new List<ModeResult>();
        foreach (var run in plan)
        {
            var runConfig = run.Config;
            var runPath = Path.Combine(outPath, run.Folder);
            var trained = FoldSplit.Of(data, TrainingDefaults.FitTo(runConfig, data)).Train;
            var trainingSlices = trained.Sum(c => c.Slices.Count);
            events?.Message?.Invoke($"compare: {run.Label} ({modes.Count + 1}/{plan.Count}): training {runConfig.Arch}/{runConfig.Encoder} "
                + $"({run.Parameters:N0} parameters) into {runPath}");
            var (training, seconds, peakMb, gpuPeakMb) = GpuPeakMemory.Measure(runConfig.Device, () => Trainer.Train(data, runConfig, runPath, events));
            var (inference, score, distances) = ValidationInference.Run(runPath, runConfig, data, split.Validation);
            var result = new ModeResult(run.Mode, runPath, runConfig, run.Parameters, training,
                TrainingCost.From(training.Epochs, trainingSlices, seconds, peakMb) with { GpuPeakMb = gpuPeakMb }, inference, score, distances)
            {
                Architecture = run.Architecture?.Name,
                TrainingSet = (trained.Select(c => c.Case).Distinct().Count(), trained.Count, trainingSlices),
            };
            modes.Add(result);
            events?.Message?.Invoke($"compare: {run.Label} measured: score {score.Score:F4}, dice {score.Overall.Dice:F4}, HD95 {distances.Overall.Hd95:F1} mm, "
                + $"{result.TrainingCost.SecondsPerExamplePerEpoch * 1000:F1} ms per {result.Example} per epoch, {inference.MsPerSlice:F1} ms per slice to predict");
        }
        var comparison = new ModeComparisonResult(data.Root, data.Classes, config, split, modes, loadBefore, MachineLoad.OneMinute());
        AtomicFile.WriteAllText(Path.Combine(outPath, ResultFile), comparison.ToJsonText() + "\n");
        var report = ComparisonReport.Of(comparison);
        AtomicFile.WriteAllText(Path.Combine(outPath, MarkdownFile), report.ToMarkdown());
        AtomicFile.WriteAllText(Path.Combine(outPath, ReportFile), StudyReportHtml.Render(report));
        return comparison;
    }

    private static long CheckedParameters(UwMadisonDataset data, StudyRun run)
    {
        try
        {
            return Trainer.Check(data, run.Config);
        }
        catch (MedSegException e)
        {
            throw new MedSegException($"{run.Label}: {e.Message}", e);
        }
    }
}
