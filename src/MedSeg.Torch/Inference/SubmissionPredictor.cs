using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Sharding;
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
    /// <param name="caseDays">Ids of the case-days to segment (e.g. a run's validation fold), or null for all of them.</param>
    /// <param name="shard">Predict only this shard's cases (<see cref="ShardPartition"/>) and record it beside the partial
    /// submission (<see cref="ShardRecord"/>); a rerun of a finished shard does nothing. Null: every case.</param>
    public static int Predict(IReadOnlyList<string> runs, IReadOnlyList<double>? weights, string dataPath, string outPath,
        PredictOptions options, string deviceName, Action<int, int, string>? progress = null, string? probabilitiesFolder = null,
        string? overlaysFolder = null, string? gateRun = null, string? samplePath = null, Action<string>? message = null,
        IReadOnlyCollection<string>? caseDays = null, Shard? shard = null)
    {
        if (shard is null || !File.Exists(outPath))
        {
            NewOutputFile.Require(outPath, "--out", ".csv", "UW-Madison predictions are written as a submission .csv");
        }
        if (shard is { } given && (samplePath is not null || caseDays is not null))
        {
            throw new MedSegException(samplePath is not null
                ? $"--shard {given} writes a partial submission in dataset order; give --sample-submission to 'medseg merge' instead."
                : $"--shard {given} chooses its own case-days; predict either a shard or a list of case-days.");
        }
        var device = Devices.Resolve(deviceName);
        var gateFolder = gateRun is null ? null : RunFolder.Load(gateRun);
        if (gateFolder is not null && !TrainingNetworks.IsClassifier(gateFolder.Config))
        {
            throw new MedSegException($"--gate {gateRun} is a segmentation run; the gate is a classification run (medseg train --arch classifier).");
        }
        using var ensemble = LoadedEnsemble.Load(runs, weights, options, device);
        foreach (var warning in ensemble.Warnings)
        {
            message?.Invoke(warning);
        }
        var classes = ensemble.Classes;
        var data = UwMadisonDataset.Load(dataPath, classes);
        if (data.HasLabels && !data.Classes.SequenceEqual(classes))
        {
            throw new MedSegException(
                $"{dataPath} has classes {string.Join(",", data.Classes)} but run {runs[0]} predicts {string.Join(",", classes)}; use data with the run's classes.");
        }
        var record = PredictionShard.Plan(shard, ShardRecord.Submission,
            data.CaseDays.Select(c => new ShardItem(c.Id, c.Case.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Slices.Count)).ToArray(),
            runs, weights, options, gateRun);
        if (record is not null && record.IsCompleteAt(outPath))
        {
            message?.Invoke($"{record.Name}: {outPath} is already complete; nothing to do");
            return SubmissionCsv.Read(outPath).Count;
        }
        var selected = Select(data, record?.Items.Select(i => i.Id).ToArray() ?? caseDays);
        var gate = gateFolder is null ? null : new EnsembleMember(LoadedEnsemble.Network(gateFolder, options.Backend, device), gateFolder.Config, gateFolder.Info.Classes, 1.0);
        try
        {
            var segmenter = new SliceSegmenter(ensemble.Members, ensemble.Options, device, gate);
            var rows = new List<SubmissionRow>();
            for (var i = 0; i < selected.Count; i++)
            {
                var caseDay = selected[i];
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
                progress?.Invoke(i + 1, selected.Count, caseDay.Id);
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
            record?.Write(outPath);
            SubmissionCsv.Write(outPath, rows);
            if (ensemble.PostProcessingNote is { } note)
            {
                message?.Invoke(note);
            }
            return rows.Count;
        }
        finally
        {
            gate?.Model.Dispose();
        }
    }

    /// <summary>The case-days of <paramref name="data"/> named in <paramref name="ids"/> (all when null), in dataset order.</summary>
    private static IReadOnlyList<UwCaseDay> Select(UwMadisonDataset data, IReadOnlyCollection<string>? ids)
    {
        if (ids is null)
        {
            return data.CaseDays;
        }
        var missing = ids.Except(data.CaseDays.Select(c => c.Id)).ToArray();
        if (missing.Length > 0)
        {
            throw new MedSegException($"{data.Root} has no case-day {string.Join(", ", missing)}; predict case-days of that dataset.");
        }
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        return data.CaseDays.Where(c => wanted.Contains(c.Id)).ToArray();
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
