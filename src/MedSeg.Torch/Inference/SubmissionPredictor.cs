using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.PostProcessing;
using MedSeg.Core.Tuning;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Inference;

/// <summary>
/// <c>medseg predict</c> for UW-Madison-layout data: loads the runs as an ensemble, segments every case-day and
/// writes a Kaggle submission (<c>id,class,predicted</c>, one row per slice and class, in case-day and slice order).
/// </summary>
public static class SubmissionPredictor
{
    /// <param name="runs">Run folders (a <c>--fold all</c> run stands for all its folds); <paramref name="weights"/> gives one
    /// weight per entry (null = equal weights).</param>
    /// <param name="progress">Called after each case-day with (done, total, case-day id).</param>
    /// <param name="probabilitiesFolder">Where to save each case-day's probabilities (<see cref="ProbabilityMaps"/>), or null.</param>
    /// <param name="overlaysFolder">Where to write a PNG overlay of every slice with a prediction, or null.</param>
    /// <param name="gateRun">A classification run (<c>--arch classifier</c>) whose "absent" decisions empty a class on a slice, or null.</param>
    /// <param name="samplePath">A Kaggle <c>sample_submission.csv</c> whose row order the output follows, or null (case-day and slice order).</param>
    /// <param name="message">Called with lines worth telling the user (e.g. rows a sample submission leaves out).</param>
    public static int Predict(IReadOnlyList<string> runs, IReadOnlyList<double>? weights, string dataPath, string outPath,
        PredictOptions options, string deviceName, Action<int, int, string>? progress = null, string? probabilitiesFolder = null,
        string? overlaysFolder = null, string? gateRun = null, string? samplePath = null, Action<string>? message = null)
    {
        if (!outPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            throw new MedSegException($"--out {outPath}: UW-Madison predictions are written as a submission .csv; name the output file *.csv.");
        }
        if (File.Exists(outPath))
        {
            throw new MedSegException($"--out {outPath} already exists; choose a new file name (MedSeg never overwrites outputs).");
        }
        var ensemble = EnsembleFile(runs, weights);
        if (ensemble is not null)
        {
            (runs, weights) = (ensemble.Models, ensemble.Weights);
        }
        if (weights is not null && weights.Count != runs.Count)
        {
            throw new MedSegException($"--weights has {weights.Count} values for {runs.Count} --model runs; give one weight per run.");
        }
        var device = Devices.Resolve(deviceName);
        var expanded = runs.Select(run => RunFolder.Expand(run)).ToArray();
        var folders = expanded.SelectMany(paths => paths.Select(p => RunFolder.Load(p))).ToArray();
        // A --fold all run counts as one --model: its folds share that model's weight equally.
        var memberWeights = expanded.SelectMany((paths, i) => paths.Select(_ => (weights?[i] ?? 1.0) / paths.Count)).ToArray();
        var classes = folders[0].Info.Classes;
        var data = UwMadisonDataset.Load(dataPath, classes);
        if (data.HasLabels && !data.Classes.SequenceEqual(classes))
        {
            throw new MedSegException(
                $"{dataPath} has classes {string.Join(",", data.Classes)} but run {runs[0]} predicts {string.Join(",", classes)}; use data with the run's classes.");
        }
        var tuned = ensemble is not null ? (ensemble.Thresholds, ensemble.MinPixels)
            : OutOfFoldTuning.Read(runs[0]) is { } settings ? (settings.Thresholds, settings.MinPixels) : default;
        if (tuned.Thresholds is not null)
        {
            options = options with
            {
                Thresholds = options.Thresholds ?? tuned.Thresholds,
                PostProcess = (options.PostProcess ?? PostProcessOptions.None) is { MinPixels: 0 } p ? p with { MinPixels = tuned.MinPixels } : options.PostProcess,
            };
        }
        foreach (var folder in folders.Where(f => TrainingNetworks.IsClassifier(f.Config)))
        {
            throw new MedSegException($"--model {folder.Path} is a classification run; pass it as --gate {folder.Path} and give a segmentation run as --model.");
        }
        var gateFolder = gateRun is null ? null : RunFolder.Load(gateRun);
        if (gateFolder is not null && !TrainingNetworks.IsClassifier(gateFolder.Config))
        {
            throw new MedSegException($"--gate {gateRun} is a segmentation run; the gate is a classification run (medseg train --arch classifier).");
        }
        var members = folders.Select((f, i) => new EnsembleMember(f.LoadModel(device), f.Config, f.Info.Classes, memberWeights[i])).ToArray();
        var gate = gateFolder is null ? null : new EnsembleMember(gateFolder.LoadModel(device), gateFolder.Config, gateFolder.Info.Classes, 1.0);
        try
        {
            var segmenter = new SliceSegmenter(members, options, device, gate);
            var rows = new List<SubmissionRow>();
            for (var i = 0; i < data.CaseDays.Count; i++)
            {
                var caseDay = data.CaseDays[i];
                var first = caseDay.Slices[0];
                var probabilities = segmenter.Probabilities(caseDay);
                if (probabilitiesFolder is not null)
                {
                    ProbabilityMaps.Write(probabilitiesFolder, caseDay.Id, probabilities, caseDay.Slices.Count, first.Height, first.Width);
                }
                var masks = segmenter.Masks(caseDay, probabilities);
                var plane = first.Height * first.Width;
                if (overlaysFolder is not null)
                {
                    WriteOverlays(overlaysFolder, caseDay, masks, plane);
                }
                for (var s = 0; s < caseDay.Slices.Count; s++)
                {
                    for (var c = 0; c < classes.Count; c++)
                    {
                        rows.Add(new SubmissionRow(caseDay.Slices[s].Id.ToString(), classes[c], Rle.Encode(masks[c].AsSpan(s * plane, plane))));
                    }
                }
                progress?.Invoke(i + 1, data.CaseDays.Count, caseDay.Id);
            }
            if (samplePath is not null)
            {
                var (ordered, leftOut) = SampleSubmission.Order(rows, samplePath);
                if (leftOut > 0)
                {
                    message?.Invoke($"{leftOut} predicted rows are not in {samplePath} and were left out");
                }
                rows = [.. ordered];
            }
            SubmissionCsv.Write(outPath, rows);
            return rows.Count;
        }
        finally
        {
            foreach (var member in members)
            {
                member.Model.Dispose();
            }
            gate?.Model.Dispose();
        }
    }

    /// <summary>The ensemble file given as the only <c>--model</c> (<c>medseg tune --out ENSEMBLE.json</c>), or null.</summary>
    private static EnsembleSettings? EnsembleFile(IReadOnlyList<string> runs, IReadOnlyList<double>? weights)
    {
        var files = runs.Where(r => File.Exists(r) && r.EndsWith(".json", StringComparison.OrdinalIgnoreCase)).ToArray();
        if (files.Length == 0)
        {
            return null;
        }
        if (runs.Count > 1 || weights is not null)
        {
            throw new MedSegException($"--model {files[0]} is an ensemble file with its own models and weights; give it alone, without other --model or --weights.");
        }
        return OutOfFoldTuning.ReadEnsemble(files[0]);
    }

    private static void WriteOverlays(string folder, UwCaseDay caseDay, byte[][] masks, int plane)
    {
        Parallel.For(0, caseDay.Slices.Count, s =>
        {
            var sliceMasks = masks.Select(m => m.AsSpan(s * plane, plane).ToArray()).ToArray();
            if (sliceMasks.Any(m => m.AsSpan().ContainsAnyExcept((byte)0)))
            {
                var slice = caseDay.Slices[s];
                OverlayImage.Write(Path.Combine(folder, slice.Id + ".png"), slice.ReadImage(), slice.Height, slice.Width, sliceMasks);
            }
        });
    }
}
