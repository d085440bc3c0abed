using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Sharding;

namespace MedSeg.Core.Inference;

/// <summary>
/// <c>medseg predict</c> on 2-D images, apart from the networks: reads a folder dataset (its <c>images/</c>; in the
/// split form <c>test/</c>, else <c>val/</c>, else <c>train/</c>) or a plain folder of images, plans the shard, loads the
/// models (through the backend's <see cref="IFolderSegmenter"/>), checks their classes against the dataset's
/// classes.txt and writes <c>OUT/STEM.png</c>: one class index per pixel (8-bit gray; 0 = background, k = the run's k-th
/// class) at each image's own size. Both backends run this one sequence, so their index maps differ only where their
/// networks do. The output folder appears whole or not at all and is never overwritten.
/// </summary>
public static class FolderPipeline
{
    /// <summary>Whether <paramref name="dataPath"/> is a folder dataset or a folder holding images.</summary>
    public static bool Accepts(string dataPath) => FolderLayout.IsDatasetFolder(dataPath) || FolderDataset.HoldsImages(dataPath);

    /// <param name="models">The <c>--model</c> paths as given (the shard record's fingerprint, messages).</param>
    /// <param name="load">Loads the models (called once, unless a finished shard leaves nothing to do).</param>
    /// <param name="progress">Called after each batch with (done, total, last image id).</param>
    /// <param name="shard">Predict only this shard's images (<see cref="ShardPartition"/>) into a partial folder with its
    /// <see cref="ShardRecord"/>; a rerun of a finished shard does nothing. Null: every image.</param>
    /// <exception cref="MedSegException">Classes that differ from the dataset's classes.txt, an image of other channels than the runs were trained on, or an output that exists.</exception>
    public static LabelMapPrediction Run(IReadOnlyList<string> models, IReadOnlyList<double>? weights, string dataPath, string outPath,
        PredictOptions options, Func<IFolderSegmenter> load, Action<int, int, string>? progress = null, Shard? shard = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(load);
        var (source, labels) = FolderLayout.IsDatasetFolder(dataPath)
            ? FolderLayout.Load(dataPath) is var layout ? (layout.PredictionSet, layout.Labels) : default
            : (FolderDataset.LoadImages(dataPath), null);
        var record = PredictionShard.Plan(shard, ShardRecord.Files, source.Items.Select(i => new ShardItem(i.Id + ".png", i.Id, 1)).ToArray(), models, weights, options);
        if (record is not null && record.IsCompleteAt(outPath))
        {
            return new LabelMapPrediction(record.Items.Count, source.ImagesFolder, Path.GetFullPath(outPath)) { AlreadyComplete = true };
        }
        using var segmenter = load();
        if (labels is not null && !labels.SequenceEqual(segmenter.Classes))
        {
            throw new MedSegException(
                $"run {models[0]} predicts classes {string.Join(",", segmenter.Classes)} but {dataPath}/classes.txt names {string.Join(",", labels)}; use a run trained on these classes, in this order.");
        }
        var items = record is null ? source.Items : source.Items.Where(i => record.Holds(i.Id + ".png")).ToArray();
        var written = AtomicFolder.Write(outPath, folder =>
        {
            var count = Write(segmenter.Labels, items, folder, options.BatchSize, progress);
            record?.Write(outPath);
            return count;
        });
        return new LabelMapPrediction(written, source.ImagesFolder, Path.GetFullPath(outPath)) { Warnings = segmenter.Warnings };
    }

    /// <summary>
    /// Writes the label map of every item into <paramref name="folder"/> as <c>ID.png</c>, <paramref name="batchSize"/>
    /// images per call of <paramref name="labels"/> (an <see cref="IFolderSegmenter.Labels"/>).
    /// </summary>
    /// <returns>The number of label maps written.</returns>
    public static int Write(Func<IReadOnlyList<RasterImage>, IReadOnlyList<string>, ushort[][]> labels, IReadOnlyList<FolderItem> items, string folder, int batchSize,
        Action<int, int, string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(items);
        Directory.CreateDirectory(folder);
        for (var first = 0; first < items.Count; first += batchSize)
        {
            var batch = items.Skip(first).Take(batchSize).ToArray();
            var images = OrderedParallel.Map(batch, item => item.ReadImage());
            var maps = labels(images, batch.Select(b => b.ImagePath).ToArray());
            for (var i = 0; i < batch.Length; i++)
            {
                GrayPng.Write(Path.Combine(folder, batch[i].Id + ".png"), maps[i], images[i].Height, images[i].Width);
            }
            progress?.Invoke(first + batch.Length, items.Count, batch[^1].Id);
        }
        return items.Count;
    }
}
