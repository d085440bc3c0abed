using System.Globalization;
using MedSeg.Core;
using MedSeg.Core.Reports;

namespace MedSeg.Torch.Studies;

/// <summary>
/// A comparison as the <see cref="StudyReport"/> that <c>compare.md</c> and <c>report.html</c> show: one row per run,
/// the figures of Avesta et al.'s study as columns (accuracy, convergence, training and inference time, memory).
/// </summary>
public static class ComparisonReport
{
    private static readonly (StudyColumn Column, Func<ModeResult, double> Value)[] Figures =
    [
        (new StudyColumn("params", "parameters", "M", 3, Plot: false), m => m.Parameters / 1e6),
        (new StudyColumn("score", "uwmgi score", "", 4, Plot: false), m => m.Score.Score),
        (new StudyColumn(StudyReport.DiceKey, "validation Dice", "", 4), m => m.Score.Overall.Dice),
        (new StudyColumn("hd95_mm", "HD95", "mm", 1), m => m.Distances.Overall.Hd95),
        (new StudyColumn("epochs_to_95_dice", "epochs to 95 % of best Dice", "epochs", 0), m => m.Convergence.Epochs ?? double.NaN),
        (new StudyColumn("seconds_to_95_dice", "time to 95 % of best Dice", "s", 1, Plot: false), m => m.Convergence.Seconds ?? double.NaN),
        (new StudyColumn("train_ms_per_example_per_epoch", "training time per example per epoch", "ms", 1), m => m.TrainingCost.SecondsPerExamplePerEpoch * 1000),
        (new StudyColumn("infer_ms_per_case_day", "inference time per volume", "ms", 0), m => m.InferenceCost.MsPerCaseDay),
        (new StudyColumn("train_peak_mb", "training peak memory", "MB", 0), m => m.TrainingCost.PeakMb),
        (new StudyColumn("infer_peak_mb", "inference peak memory", "MB", 0), m => m.InferenceCost.PeakMb),
        (new StudyColumn("train_peak_gpu_mb", "training peak GPU memory", "MB", 0, Plot: false), m => m.TrainingCost.GpuPeakMb),
        (new StudyColumn("infer_peak_gpu_mb", "inference peak GPU memory", "MB", 0, Plot: false), m => m.InferenceCost.GpuPeakMb),
    ];

    /// <summary>The report of <paramref name="result"/>; the GPU memory columns are plotted on CUDA only.</summary>
    public static StudyReport Of(ModeComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var cuda = result.Config.Device == "cuda";
        var columns = Figures.Select(f => f.Column.Key.Contains("gpu", StringComparison.Ordinal) ? f.Column with { Plot = cuda } : f.Column).ToArray();
        var rows = result.Modes.Select(m => new StudyRow(m.Mode, m.Architecture ?? $"{m.Config.Arch}", m.TrainingSet.Cases, [.. Figures.Select(f => f.Value(m))])).ToArray();
        var split = result.Split;
        var lines = new[]
        {
            $"Data {result.Data}; classes {string.Join(", ", result.Classes)}.",
            string.Create(CultureInfo.InvariantCulture,
                $"Fold {result.Config.Fold} of {result.Config.Folds}, seed {result.Config.Seed}, device {result.Config.Device}: {Plural.Of(split.TrainCases.Count, "training case")} ({Plural.Of(split.Train.Count, "case-day")}) at most; "
                + $"every run validated on the same {Plural.Of(split.Validation.Count, "case-day")} ({split.Validation.Sum(c => c.Slices.Count)} slices)."),
        };
        var notes = new[]
        {
            "validation Dice: per slice and class, both-empty skipped (uwmgi's); HD95: surface distance in mm per case-day and class.",
            $"epochs to 95 % of best Dice: {ModeComparisonResult.ConvergenceMeasure}.",
            "training time per example per epoch: training steps only, epochs after the first; an example is a slice (2d), a slice stack (2.5d) or a patch (3d).",
            "inference time per volume: medseg predict on the validation case-days (one case-day is one volume), divided by their number.",
            $"memory: {ModeComparisonResult.MemoryMeasure}.",
            $"GPU memory: {ModeComparisonResult.GpuMemoryMeasure}.",
            string.Create(CultureInfo.InvariantCulture, $"1-minute load average {StudyReport.Format(result.LoadBefore ?? double.NaN, 1)} before, {StudyReport.Format(result.LoadAfter ?? double.NaN, 1)} after: times measured on a loaded machine are slower."),
        };
        return new StudyReport("2D vs 2.5D vs 3D study", lines, columns, rows, notes);
    }
}
