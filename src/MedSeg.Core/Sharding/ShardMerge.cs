using MedSeg.Core.Data;
using MedSeg.Core.IO;

namespace MedSeg.Core.Sharding;

/// <summary>
/// <c>medseg merge</c>: combines the partial outputs of <c>medseg predict --shard I/N</c> into the output an unsharded
/// run writes, byte for byte — a submission's rows in the unsharded order, or a folder holding every part's label maps.
/// Every shard 0..N-1 must be given exactly once, and all of one input set, settings and output kind; otherwise one
/// error names the part at fault, before anything is written.
/// </summary>
public static class ShardMerge
{
    /// <summary>Merges <paramref name="parts"/> into the new output <paramref name="outPath"/>.</summary>
    /// <param name="samplePath">A Kaggle <c>sample_submission.csv</c> whose row order a merged submission follows, or null.</param>
    /// <param name="message">Called with lines worth telling the user.</param>
    /// <returns>The rows (submission) or files (folder) written.</returns>
    public static int Merge(IReadOnlyList<string> parts, string outPath, string? samplePath = null, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new MedSegException("no partial output given; pass the --out of every 'medseg predict --shard I/N' run.");
        }
        var records = parts.Select(ShardRecord.Read).ToArray();
        Check(parts, records);
        if (records[0].Kind == ShardRecord.Submission)
        {
            NewOutputFile.Require(outPath, "--out", ".csv", "the parts are submissions, so the merged output is a submission .csv");
            return MergeSubmissions(parts, records, outPath, samplePath, message);
        }
        if (samplePath is not null)
        {
            throw new MedSegException("--sample-submission orders a submission's rows, but these parts are folders of label maps; leave it out.");
        }
        return AtomicFolder.Write(outPath, folder => CopyFiles(parts, records, folder));
    }

    private static void Check(IReadOnlyList<string> parts, ShardRecord[] records)
    {
        var first = records[0];
        for (var p = 1; p < parts.Count; p++)
        {
            var r = records[p];
            var what = r.Shards != first.Shards ? $"is {r.Name}, one of {r.Shards}, but {parts[0]} is {first.Name}, one of {first.Shards}"
                : r.Kind != first.Kind ? $"is a partial {r.Kind} output but {parts[0]} a partial {first.Kind} output"
                : r.Inputs != first.Inputs ? $"({r.Name}) covers another input set ({r.Inputs}, {r.InputItems} units) than {parts[0]} ({first.Inputs}, {first.InputItems} units)"
                : r.Settings != first.Settings ? $"({r.Name}) was predicted with other models or options ({r.Settings}) than {parts[0]} ({first.Settings})"
                : null;
            if (what is not null)
            {
                throw new MedSegException($"{parts[p]} {what}; merge the shards of one predict command (same --data, --model and options).");
            }
        }
        for (var p = 1; p < parts.Count; p++)
        {
            var twin = Array.FindIndex(records, 0, p, r => r.Shard == records[p].Shard);
            if (twin >= 0)
            {
                throw new MedSegException($"{parts[twin]} and {parts[p]} are both {records[p].Name}; give each shard once.");
            }
        }
        for (var s = 0; s < first.Shards; s++)
        {
            if (!records.Any(r => r.Shard == s))
            {
                throw new MedSegException(
                    $"shard {new Shard(s, first.Shards)} is missing: the parts given are {string.Join(", ", records.OrderBy(r => r.Shard).Select(r => $"{r.Shard}/{r.Shards}"))}; add the --out of 'medseg predict --shard {new Shard(s, first.Shards)}' (run it if it did not finish).");
            }
        }
        var positions = records.SelectMany(r => r.Items.Select(i => i.Position)).Order().ToArray();
        if (!positions.SequenceEqual(Enumerable.Range(0, first.InputItems)))
        {
            throw new MedSegException($"the parts hold {positions.Length} units for an input set of {first.InputItems}; their shard records disagree, so predict the shards again with one MedSeg version.");
        }
    }

    private static int MergeSubmissions(IReadOnlyList<string> parts, ShardRecord[] records, string outPath, string? samplePath, Action<string>? message)
    {
        var byUnit = new Dictionary<string, List<SubmissionRow>>(StringComparer.Ordinal);
        for (var p = 0; p < parts.Count; p++)
        {
            var units = records[p].Items.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var row in SubmissionCsv.Read(parts[p]))
            {
                var unit = UwSliceId.TryParse(row.Id, out var id) ? id.CaseDayId : null;
                if (unit is null || !units.Contains(unit))
                {
                    throw new MedSegException($"{parts[p]} has a row for {row.Id}, which its shard record {ShardRecord.PathFor(parts[p])} does not list; run that shard again.");
                }
                if (!byUnit.TryGetValue(unit, out var rows))
                {
                    byUnit.Add(unit, rows = []);
                }
                rows.Add(row);
            }
        }
        IReadOnlyList<SubmissionRow> merged = records.SelectMany(r => r.Items).OrderBy(i => i.Position)
            .SelectMany(i => byUnit.TryGetValue(i.Id, out var rows) ? rows : []).ToArray();
        if (samplePath is not null)
        {
            (merged, var leftOut) = SampleSubmission.Order(merged, samplePath);
            if (leftOut > 0)
            {
                message?.Invoke($"{leftOut} predicted rows are not in {samplePath} and were left out");
            }
        }
        SubmissionCsv.Write(outPath, merged);
        return merged.Count;
    }

    private static int CopyFiles(IReadOnlyList<string> parts, ShardRecord[] records, string folder)
    {
        var count = 0;
        for (var p = 0; p < parts.Count; p++)
        {
            var listed = records[p].Items.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
            if (Directory.EnumerateFiles(parts[p]).Select(Path.GetFileName).FirstOrDefault(f => !listed.Contains(f!)) is { } stray)
            {
                throw new MedSegException($"{parts[p]} holds {stray}, which its shard record {ShardRecord.PathFor(parts[p])} does not list; remove it or run that shard again.");
            }
            foreach (var name in listed)
            {
                var source = Path.Combine(parts[p], name);
                if (!File.Exists(source))
                {
                    throw new MedSegException($"{parts[p]} lacks {name}, which its shard record lists; run that shard again.");
                }
                File.Copy(source, Path.Combine(folder, name));
                count++;
            }
        }
        return count;
    }
}
