using System.Globalization;
using System.Text.Json;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.Inspection;
using MedSeg.Core.IO;
using MedSeg.Core.Reports;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Reports;

/// <summary>
/// <c>medseg report RUN</c>: gathers what a run folder says about its training — the resolved configuration, every
/// epoch of <c>log.jsonl</c>, and, with the data it was trained on, its best model's validation per class and worst
/// validation slices, scored from the out-of-fold probabilities (<c>oof/</c>) exactly as <c>medseg evaluate</c> scores
/// a submission — into a <see cref="RunReport"/>. No network is run.
/// </summary>
public static class RunReportBuilder
{
    /// <summary>Reads <paramref name="runPath"/> (and <paramref name="dataPath"/>, or the run's own <c>preprocessed/</c> data).</summary>
    /// <exception cref="MedSegException">Not a run folder, a broken log, or out-of-fold files that do not fit the data.</exception>
    public static RunReport Build(string runPath, string? dataPath = null)
    {
        ArgumentNullException.ThrowIfNull(runPath);
        RunFolder run = RunFolder.Load(runPath, requireModel: false);
        IReadOnlyList<TrainingEpoch> epochs = ReadLog(runPath);
        var notes = new List<string>();
        TrainConfig config = run.Config;
        RunInfo info = run.Info;
        string[] lines =
        [
            $"{config.Mode} · {config.Arch} / {config.Encoder} · classes {string.Join(", ", info.Classes)}",
            string.Create(CultureInfo.InvariantCulture,
                $"{info.TrainCaseDays.Count} training and {info.ValidationCaseDays.Count} validation case-days ({info.Validation ?? FoldSplit.HeldOutFold}) · MedSeg {info.MedSegVersion}, TorchSharp {info.TorchSharpVersion}, libtorch {info.LibTorchVersion} on {info.Device}"),
        ];
        (EvaluationReport? validation, IReadOnlyList<WorstSlice> worst) = Validate(run, dataPath, notes);
        return new RunReport(runPath, lines, Settings(config), epochs, validation, worst, notes);
    }

    private static IReadOnlyList<TrainingEpoch> ReadLog(string runPath)
    {
        string path = Path.Combine(runPath, RunFolder.LogFile);
        if (!File.Exists(path))
        {
            throw new MedSegException($"run folder {runPath} has no {RunFolder.LogFile}; report on a run that finished at least one epoch.");
        }
        var epochs = new List<TrainingEpoch>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            EpochRecord r;
            try
            {
                r = JsonSerializer.Deserialize<EpochRecord>(line, TrainConfig.Json) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                throw new MedSegException($"{path} line {lineNumber} is not an epoch record ({e.Message}); the log is damaged.", e);
            }
            epochs.Add(new TrainingEpoch(r.Epoch, r.TrainLoss, r.Lr, r.ValScore, r.ValDice, r.ValHausdorff, r.Seconds, r.TrainSeconds, r.Samples, r.Best));
        }
        return epochs;
    }

    // The configuration as the run resolved it, one row per key of config.json.
    private static KeyValuePair<string, string>[] Settings(TrainConfig config) =>
        JsonSerializer.SerializeToElement(config, TrainConfig.Json).EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))
            .ToArray();

    private static (EvaluationReport?, IReadOnlyList<WorstSlice>) Validate(RunFolder run, string? dataPath, List<string> notes)
    {
        string oof = Path.Combine(run.Path, RunFolder.OutOfFoldFolder);
        string preprocessed = Path.Combine(run.Path, RunFolder.PreprocessedFolder);
        string? data = dataPath ?? (File.Exists(Path.Combine(preprocessed, "train.csv")) ? preprocessed : null);
        string? skipped = !run.Info.HeldOut ? "The run trained on every case-day (--folds 1), so there is no held-out validation to break down per class."
            : !Directory.Exists(oof) ? $"The run has no {RunFolder.OutOfFoldFolder}/ folder (it was stopped before its end), so validation per class and the worst slices are left out."
            : data is null ? "Validation per class and the worst validation slices need the data the run was trained on: give --data DATA."
            : DatasetFormats.Detect(data) != DatasetFormat.UwMadison ? $"Validation per class is drawn from out-of-fold case-days of UW-Madison-layout data (nnU-Net runs: their preprocessed/ folder); {data} is not."
            : null;
        if (skipped is not null)
        {
            notes.Add(skipped);
            return (null, []);
        }
        IReadOnlyList<string> classes = run.Info.Classes;
        double[] thresholds = Core.Tuning.TunedSettings.Read(run.Path)?.Thresholds.ToArray() ?? classes.Select(_ => 0.5).ToArray();
        notes.Add($"Validation masks: out-of-fold probabilities at thresholds {string.Join(", ", thresholds.Select(t => t.ToString("0.###", CultureInfo.InvariantCulture)))} ({(File.Exists(Path.Combine(run.Path, RunFolder.TunedFile)) ? "from tuned.json" : "untuned")}), data {Path.GetFullPath(data!)}.");
        var dataset = UwMadisonDataset.Load(data!, classes);
        var byId = dataset.CaseDays.ToDictionary(cd => cd.Id, StringComparer.Ordinal);
        var rows = new List<SubmissionRow>();
        foreach (string id in run.Info.ValidationCaseDays)
        {
            UwCaseDay caseDay = byId.GetValueOrDefault(id)
                ?? throw new MedSegException($"case-day {id} validated by {run.Path} is not in {data}; give --data the dataset the run was trained on.");
            UwSlice first = caseDay.Slices[0];
            int plane = first.Height * first.Width;
            float[][] probabilities = ProbabilityMaps.Read(oof, id, classes.Count, caseDay.Slices.Count, first.Height, first.Width);
            var mask = new byte[plane];
            for (int s = 0; s < caseDay.Slices.Count; s++)
            {
                for (int c = 0; c < classes.Count; c++)
                {
                    for (int i = 0; i < plane; i++)
                    {
                        mask[i] = probabilities[c][s * plane + i] >= thresholds[c] ? (byte)1 : (byte)0;
                    }
                    rows.Add(new SubmissionRow(caseDay.Slices[s].Id.ToString(), classes[c], Rle.Encode(mask)));
                }
            }
        }
        // Scored through the submission path, so the figures are exactly what evaluate would print for these masks.
        string submission = Path.Combine(Path.GetTempPath(), $"medseg-report-{Guid.NewGuid():N}.csv");
        try
        {
            SubmissionCsv.Write(submission, rows);
            var evaluator = SubmissionEvaluator.Load(submission, data!);
            EvaluationReport report = evaluator.Evaluate(EvaluationOptions.Parse(EvaluationOptions.UwMadison, null, null));
            return (report, evaluator.FindWorstSlices(report));
        }
        finally
        {
            File.Delete(submission);
        }
    }
}
