using System.Globalization;
using System.Text.Json;
using MedSeg.Core.Data;
using MedSeg.Core.Inference;
using MedSeg.Core.IO;

namespace MedSeg.Core.Sharding;

/// <summary>
/// The shard part of <c>medseg predict --shard I/N</c>, shared by every kind of output: which units this shard
/// predicts (<see cref="ShardPartition"/>), and the fingerprint of the models and options that every shard of one
/// job shares, so <c>medseg merge</c> refuses parts of different predict commands.
/// </summary>
public static class PredictionShard
{
    /// <summary>
    /// The record of <paramref name="shard"/> over <paramref name="items"/> (every output unit, in the unsharded
    /// order), or null for an unsharded run.
    /// </summary>
    public static ShardRecord? Plan(Shard? shard, string kind, IReadOnlyList<ShardItem> items, IReadOnlyList<string> runs,
        IReadOnlyList<double>? weights, PredictOptions options, string? gateRun = null) =>
        shard is { } s ? ShardPartition.Plan(items, s, kind, Settings(runs, weights, options, gateRun)) : null;

    /// <summary>
    /// The record of <paramref name="shard"/> over the label maps of <paramref name="images"/> (one file per case,
    /// balanced by slice count) and the cases this shard predicts: every case for an unsharded run (null record).
    /// </summary>
    public static (ShardRecord? Record, IReadOnlyList<NnUnetCase> Cases) PlanLabelMaps(Shard? shard, NiftiImageSet images, LabelMapFormat format,
        IReadOnlyList<string> runs, IReadOnlyList<double>? weights, PredictOptions options)
    {
        var record = Plan(shard, ShardRecord.Files,
            images.Cases.Select(c => new ShardItem(LabelMapFiles.FileName(c.Id, format), c.Id, new SliceStackOrientation(ImageFiles.ReadGeometry(c.ImagePaths[0])).Grid.Depth)).ToArray(),
            runs, weights, options);
        return (record, record is null ? images.Cases : images.Cases.Where(c => record.Holds(LabelMapFiles.FileName(c.Id, format))).ToArray());
    }

    /// <summary>A fingerprint of the runs as given (full paths), weights, options and gate.</summary>
    private static string Settings(IReadOnlyList<string> runs, IReadOnlyList<double>? weights, PredictOptions options, string? gateRun) =>
        ShardPartition.Fingerprint(runs.Select(r => "model " + Path.GetFullPath(r))
            .Append("weights " + string.Join(",", weights?.Select(w => w.ToString("R", CultureInfo.InvariantCulture)) ?? []))
            .Append("options " + JsonSerializer.Serialize(options))
            .Append("gate " + (gateRun is null ? "" : Path.GetFullPath(gateRun))));
}
