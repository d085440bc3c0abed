using MedSeg.Core;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MedSeg.Core.Evaluation;
using MedSeg.Torch.Training;
using static MedSeg.Core.Evaluation.EvaluationReport;
using static TorchSharp.torch;

namespace MedSeg.Torch.Studies;

/// <summary>The result of <c>Run</c>: one <see cref="ModeResult"/> per mode and the setting they share.</summary>
/// <param name="Data">The dataset folder.</param>
/// <param name="Classes">Class names in output order.</param>
/// <param name="Config">The shared training config (seed, folds, fold, device, threads).</param>
/// <param name="Split">The case-days every mode trained and validated on.</param>
/// <param name="Modes">The modes, in the order they ran.</param>
/// <param name="LoadBefore">The machine's 1-minute load average before the study (null where unknown).</param>
/// <param name="LoadAfter">The same after it.</param>
public sealed record ModeComparisonResult(
    string Data,
    IReadOnlyList<string> Classes,
    TrainConfig Config,
    FoldSplit Split,
    IReadOnlyList<ModeResult> Modes,
    double? LoadBefore,
    double? LoadAfter)
{
    /// <summary>How the <c>*_peak_mb</c> figures are measured.</summary>
    public const string MemoryMeasure =
        "peak resident memory (Linux VmHWM) during the stage minus the resident memory just before it, after a full GC and malloc_trim: managed heap and libtorch native buffers together";

    /// <summary>How the <c>*_peak_gpu_mb</c> figures are measured.</summary>
    public const string GpuMemoryMeasure =
        "on --device cuda: peak GPU memory in use (NVML, sampled every 10 ms, allocator reserve and CUDA context included) during the stage minus that before it; null on the CPU";

    /// <summary>How <c>epochs_to_95_dice</c> and <c>seconds_to_95_dice</c> are measured.</summary>
    public const string ConvergenceMeasure =
        "the first epoch whose validation Dice reached 95 % of the run's best validation Dice, and the wall time of the epochs up to it (steps, validation, checkpoints)";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// The JSON object of <c>compare.json</c> and <c>compare --json</c>: the setting (<c>data</c>, <c>classes</c>,
    /// <c>seed</c>, <c>folds</c>, <c>fold</c>, <c>device</c>, <c>threads</c>, <c>train_case_days</c>, <c>train_slices</c>,
    /// <c>validation</c> (<c>held-out</c>, or <c>training-data</c> with <c>--folds 1</c>), <c>validation_case_days</c> (ids), <c>validation_slices</c>, <c>empty_score</c>, <c>memory</c>,
    /// <c>load_1min_before</c>, <c>load_1min_after</c>, <c>archs</c> (the <c>--archs</c> names, or null),
    /// <c>train_cases_per_size</c>, <c>fold_train_cases</c>, <c>gpu_memory</c>, <c>convergence</c>) and <c>modes</c>, one object
    /// per run (see <see cref="ModeJson"/>).
    /// Units are in the key names; an undefined figure is null.
    /// </summary>
    public Dictionary<string, object?> ToJson() => new()
    {
        ["modes"] = Modes.Select(ModeJson).ToArray(),
        ["data"] = Data,
        ["classes"] = Classes,
        ["seed"] = Config.Seed,
        ["folds"] = Config.Folds,
        ["fold"] = int.Parse(Config.Fold, CultureInfo.InvariantCulture),
        ["device"] = Config.Device,
        ["threads"] = Config.Threads > 0 ? Config.Threads : get_num_threads(),
        ["train_case_days"] = Split.Train.Count,
        ["train_slices"] = Split.Train.Sum(c => c.Slices.Count),
        ["validation"] = Split.ValidationData,
        ["validation_case_days"] = Split.Validation.Select(c => c.Id).ToArray(),
        ["validation_slices"] = Split.Validation.Sum(c => c.Slices.Count),
        ["empty_score"] = Number(Modes[0].Score.EmptyScore),
        ["memory"] = MemoryMeasure,
        ["load_1min_before"] = LoadBefore,
        ["load_1min_after"] = LoadAfter,
        ["archs"] = Modes.Any(m => m.Architecture is not null) ? Modes.Select(m => m.Architecture).Distinct().ToArray() : null,
        ["train_cases_per_size"] = Modes.Select(m => m.TrainingSet.Cases).Distinct().ToArray(),
        ["fold_train_cases"] = Split.TrainCases.Count,
        ["gpu_memory"] = GpuMemoryMeasure,
        ["convergence"] = ConvergenceMeasure,
    };

    /// <summary><see cref="ToJson"/> as indented text.</summary>
    public string ToJsonText() => JsonSerializer.Serialize(ToJson(), Indented);

    /// <summary>
    /// One mode: <c>mode</c>, <c>run</c>, <c>arch</c>, <c>encoder</c>, <c>in_channels</c>, <c>example</c>, <c>params</c>,
    /// <c>epochs</c>, <c>best_epoch</c>; validation figures of the best model, <c>score</c> (uwmgi), <c>dice</c> (per slice
    /// and class, both-empty skipped), <c>hausdorff_mm</c>, <c>hd95_mm</c> (surface distances per case-day and class in
    /// mm), <c>hausdorff_normalised</c> (uwmgi's), and <c>per_class</c> with the same five; costs <c>train_s</c>,
    /// <c>train_s_per_example_per_epoch</c>, <c>train_examples_per_epoch</c>, <c>train_s_per_slice_per_epoch</c>,
    /// <c>train_peak_mb</c>, <c>infer_s</c>, <c>infer_ms_per_slice</c>, <c>infer_ms_per_case_day</c>, <c>infer_peak_mb</c>;
    /// the study grid's <c>study_arch</c>, <c>train_cases</c>, <c>train_case_days</c>, <c>train_slices</c>; convergence
    /// <c>best_val_dice</c>, <c>epochs_to_95_dice</c>, <c>seconds_to_95_dice</c>; GPU memory <c>train_peak_gpu_mb</c>,
    /// <c>infer_peak_gpu_mb</c> (null on the CPU).
    /// </summary>
    public static Dictionary<string, object?> ModeJson(ModeResult mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var json = new Dictionary<string, object?>
        {
            ["mode"] = mode.Mode,
            ["run"] = mode.RunPath,
            ["arch"] = mode.Config.Arch,
            ["encoder"] = mode.Config.Encoder,
            ["in_channels"] = mode.Config.InChannels,
            ["example"] = mode.Example,
            ["params"] = mode.Parameters,
            ["epochs"] = mode.Training.Epochs.Count,
            ["best_epoch"] = mode.Training.BestEpoch,
        };
        AddFigures(json, mode.Score.Overall, mode.Distances.Overall);
        json["per_class"] = mode.Score.PerClass.ToDictionary(p => p.Key, p =>
        {
            var figures = new Dictionary<string, object?>();
            AddFigures(figures, p.Value, mode.Distances.PerClass[p.Key]);
            return figures;
        });
        var (train, infer) = (mode.TrainingCost, mode.InferenceCost);
        json["train_s"] = Number(train.Seconds);
        json["train_s_per_example_per_epoch"] = Number(train.SecondsPerExamplePerEpoch);
        json["train_examples_per_epoch"] = train.ExamplesPerEpoch;
        json["train_s_per_slice_per_epoch"] = Number(train.SecondsPerSlicePerEpoch);
        json["train_peak_mb"] = Number(train.PeakMb);
        json["infer_s"] = Number(infer.Seconds);
        json["infer_ms_per_slice"] = Number(infer.MsPerSlice);
        json["infer_ms_per_case_day"] = Number(infer.MsPerCaseDay);
        json["infer_peak_mb"] = Number(infer.PeakMb);
        json["study_arch"] = mode.Architecture;
        json["train_cases"] = mode.TrainingSet.Cases;
        json["train_case_days"] = mode.TrainingSet.CaseDays;
        json["train_slices"] = mode.TrainingSet.Slices;
        var convergence = mode.Convergence;
        json["best_val_dice"] = Number(convergence.BestDice);
        json["epochs_to_95_dice"] = convergence.Epochs;
        json["seconds_to_95_dice"] = convergence.Seconds is { } s ? Number(s) : null;
        json["train_peak_gpu_mb"] = Number(train.GpuPeakMb);
        json["infer_peak_gpu_mb"] = Number(infer.GpuPeakMb);
        return json;
    }

    /// <summary>A plain-text table for a terminal: one row per mode, then what the figures mean.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"mode",-5} {"arch",-12} {"cases",5} {"ep95",4} {"params",9} {"epochs",6} {"score",7} {"dice",7} {"HD mm",7} {"HD95 mm",7} {"train ms/ex/ep",14} {"example",-18} {"train MB",8} {"ms/slice",8} {"ms/case-day",11} {"infer MB",8}");
        foreach (var m in Modes)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{m.Mode,-5} {m.Architecture ?? m.Config.Arch,-12} {m.TrainingSet.Cases,5} {m.Convergence.Epochs?.ToString(CultureInfo.InvariantCulture) ?? EvaluationReport.Undefined,4} {Millions(m.Parameters),9} {m.Training.Epochs.Count,6} {F(m.Score.Score, 4),7} {F(m.Score.Overall.Dice, 4),7} "
                + $"{F(m.Distances.Overall.Hausdorff, 1),7} {F(m.Distances.Overall.Hd95, 1),7} {F(m.TrainingCost.SecondsPerExamplePerEpoch * 1000, 1),14} {m.Example,-18} "
                + $"{F(m.TrainingCost.PeakMb, 0),8} {F(m.InferenceCost.MsPerSlice, 1),8} {F(m.InferenceCost.MsPerCaseDay, 0),11} {F(m.InferenceCost.PeakMb, 0),8}");
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"validated on the same {Plural.Of(Split.Validation.Count, "case-day")}{(Split.HeldOut ? "" : " (--folds 1: the training data, none held out)")} ({Split.Validation.Sum(c => c.Slices.Count)} slices: {string.Join(", ", Split.Validation.Select(c => c.Id))}), "
            + $"fold {Config.Fold} of {Config.Folds}, seed {Config.Seed}; an all-empty prediction scores {F(Modes[0].Score.EmptyScore, 4)}");
        text.AppendLine("score: uwmgi; dice: per slice and class, both-empty skipped; HD, HD95: surface distances in mm per case-day and class");
        text.AppendLine("cases: training cases (patients); ep95: the first epoch at 95 % of the run's best validation Dice");
        text.AppendLine("train ms/ex/ep: training-step time per example per epoch (epochs after the first); ms/slice, ms/case-day: medseg predict on the validation case-days");
        text.Append(CultureInfo.InvariantCulture, $"MB: {MemoryMeasure}; 1-minute load {F(LoadBefore ?? double.NaN, 1)} before, {F(LoadAfter ?? double.NaN, 1)} after");
        return text.ToString();
    }

    private static void AddFigures(Dictionary<string, object?> json, EvaluationFigures score, EvaluationFigures distances)
    {
        json["score"] = Number(score.Score);
        json["dice"] = Number(score.Dice);
        json["hausdorff_mm"] = Number(distances.Hausdorff);
        json["hd95_mm"] = Number(distances.Hd95);
        json["hausdorff_normalised"] = Number(score.Hausdorff);
    }

    private static string Millions(long parameters) =>
        parameters >= 1_000_000 ? F(parameters / 1e6, 2) + "M" : F(parameters / 1e3, 1) + "k";

    private static string F(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals, CultureInfo.InvariantCulture) : EvaluationReport.Undefined;
}
