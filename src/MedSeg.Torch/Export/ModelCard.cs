using System.Globalization;
using System.Text;
using MedSeg.Core.Inspection;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Export;

/// <summary>The short model card of a bundle: what the model is, what it was trained and validated on, how to feed it, and what it is not for.</summary>
internal static class ModelCard
{
    public static string Text(IReadOnlyList<RunFolder> runs, RunExport.Result export, DataFingerprint? fingerprint)
    {
        var first = runs[0];
        var config = first.Config;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {config.Arch}/{config.Encoder} — MedSeg {VersionInfo.MedSeg} model bundle");
        text.AppendLine();
        text.AppendLine("## Model");
        text.AppendLine(CultureInfo.InvariantCulture, $"- {config.Mode} segmentation of {string.Join(", ", first.Info.Classes)} ({(first.Info.Multiclass ? "softmax over exclusive classes" : "one sigmoid per class")})");
        text.AppendLine(CultureInfo.InvariantCulture, $"- {runs.Count} model(s){(runs.Count > 1 ? " (folds, probabilities averaged)" : "")}; input size {export.InputSize}; trained at {string.Join("x", RunExport.TrainingSize(config))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- input: normalisation {config.Normalisation}, ROI crop {config.RoiCrop}, intensity {first.Info.Intensity ?? "as stored"}{(config.Mode == "2.5d" ? $", {config.InSlices} slices (stride {config.SliceStride}) as channels" : "")}");
        text.AppendLine();
        text.AppendLine("## Training and validation");
        foreach (var run in runs)
        {
            var score = double.IsNaN(run.Info.BestScore) ? "no validation" : $"best validation score {run.Info.BestScore.ToString("F4", CultureInfo.InvariantCulture)} at epoch {run.Info.BestEpoch}";
            text.AppendLine(CultureInfo.InvariantCulture, $"- {Path.GetFileName(run.Path)}: {run.Info.TrainCaseDays.Count} training and {run.Info.ValidationCaseDays.Count} validation items; {score}; seed {config.Seed}, {run.Info.Device}");
        }
        text.AppendLine(fingerprint is { Recorded: true }
            ? $"- training data: {fingerprint.Items} {fingerprint.Format} items, median size {string.Join("x", fingerprint.ShapeMedian ?? [])}, median spacing {string.Join("x", fingerprint.SpacingMedian ?? [])}, intensities {fingerprint.IntensityMin}…{fingerprint.IntensityMax} (fingerprint.json)"
            : "- training data: not fingerprinted (export with --data to record it)");
        text.AppendLine();
        text.AppendLine("## Intended use");
        text.AppendLine("Research and development of segmentation pipelines on data like the training data above. Not a medical device: not validated for clinical decisions. Check new data against fingerprint.json; scans of another modality, orientation or resolution need their own validation.");
        return text.ToString();
    }
}
