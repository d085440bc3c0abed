using System.Globalization;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Sharding;

namespace MedSeg.Core.Inference;

/// <summary>
/// <c>medseg predict</c> on UW-Madison-layout data, apart from the networks: checks the outputs, loads the models
/// (through the backend's <see cref="ICaseDaySegmenter"/>), reads the dataset with the models' classes, plans the shard,
/// segments every chosen case-day and writes the Kaggle submission (<c>id,class,predicted</c>, one row per slice and
/// class, in case-day and slice order or the sample submission's), with the optional probability maps and overlays.
/// Both backends run this one sequence, so their submissions differ only where their networks do.
/// </summary>
public static class SubmissionPipeline
{
    /// <param name="load">Loads the models of <paramref name="request"/> (called once, after the outputs are checked).</param>
    /// <param name="progress">Called after each case-day with (done, total, case-day id).</param>
    /// <param name="message">Called with lines worth telling the user (warnings, rows a sample submission leaves out).</param>
    /// <returns>The rows written (or already in a finished shard's output).</returns>
    public static int Run(SubmissionRequest request, Func<ICaseDaySegmenter> load, Action<int, int, string>? progress = null, Action<string>? message = null)
    {
        var outPath = request.OutPath;
        if (request.Shard is null || !File.Exists(outPath))
        {
            NewOutputFile.Require(outPath, "--out", ".csv", "UW-Madison predictions are written as a submission .csv");
        }
        if (request.Shard is { } given && (request.SamplePath is not null || request.CaseDays is not null))
        {
            throw new MedSegException(request.SamplePath is not null
                ? $"--shard {given} writes a partial submission in dataset order; give --sample-submission to 'medseg merge' instead."
                : $"--shard {given} chooses its own case-days; predict either a shard or a list of case-days.");
        }
        using var segmenter = load();
        foreach (var warning in segmenter.Warnings)
        {
            message?.Invoke(warning);
        }
        var classes = segmenter.Classes;
        var data = UwMadisonDataset.Load(request.DataPath, classes);
        if (data.HasLabels && !data.Classes.SequenceEqual(classes))
        {
            throw new MedSegException(
                $"{request.DataPath} has classes {string.Join(",", data.Classes)} but run {request.Models[0]} predicts {string.Join(",", classes)}; use data with the run's classes.");
        }
        var record = PredictionShard.Plan(request.Shard, ShardRecord.Submission,
            data.CaseDays.Select(c => new ShardItem(c.Id, c.Case.ToString(CultureInfo.InvariantCulture), c.Slices.Count)).ToArray(),
            request.Models, request.Weights, request.Options, request.Gate);
        if (record is not null && record.IsCompleteAt(outPath))
        {
            message?.Invoke($"{record.Name}: {outPath} is already complete; nothing to do");
            return SubmissionCsv.Read(outPath).Count;
        }
        var selected = Select(data, record?.Items.Select(i => i.Id).ToArray() ?? request.CaseDays);
        var rows = new List<SubmissionRow>();
        for (var i = 0; i < selected.Count; i++)
        {
            rows.AddRange(Segment(segmenter, selected[i], request));
            progress?.Invoke(i + 1, selected.Count, selected[i].Id);
        }
        if (request.SamplePath is { } samplePath)
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
        if (segmenter.PostProcessingNote is { } note)
        {
            message?.Invoke(note);
        }
        return rows.Count;
    }

    /// <summary>The submission rows of one case-day (slice by slice, class by class), writing its probabilities and overlays when asked.</summary>
    private static IEnumerable<SubmissionRow> Segment(ICaseDaySegmenter segmenter, UwCaseDay caseDay, SubmissionRequest request)
    {
        var first = caseDay.Slices[0];
        var probabilities = segmenter.Probabilities(caseDay);
        if (request.ProbabilitiesFolder is { } folder)
        {
            ProbabilityMaps.Write(folder, caseDay.Id, probabilities, caseDay.Slices.Count, first.Height, first.Width);
        }
        var masks = segmenter.Masks(caseDay, probabilities);
        var plane = first.Height * first.Width;
        if (request.OverlaysFolder is { } overlays)
        {
            WriteOverlays(overlays, caseDay, masks, plane);
        }
        var classes = segmenter.Classes;
        var rows = new List<SubmissionRow>(caseDay.Slices.Count * classes.Count);
        for (var s = 0; s < caseDay.Slices.Count; s++)
        {
            for (var c = 0; c < classes.Count; c++)
            {
                rows.Add(new SubmissionRow(caseDay.Slices[s].Id.ToString(), classes[c], Rle.Encode(masks[c].AsSpan(s * plane, plane))));
            }
        }
        return rows;
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
