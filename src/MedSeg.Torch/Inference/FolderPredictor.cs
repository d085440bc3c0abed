using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.IO;
using MedSeg.Core.Sharding;

namespace MedSeg.Torch.Inference;

/// <summary>
/// <c>medseg predict</c> for 2-D images on TorchSharp: <see cref="FolderPipeline"/> (a folder dataset or a plain folder
/// of images → <c>OUT/STEM.png</c> index maps at each image's own size) with runs trained on folder data, segmented by a
/// <see cref="FolderSegmenter"/>.
/// </summary>
public static class FolderPredictor
{
    /// <param name="progress">Called after each batch with (done, total, last image id).</param>
    /// <param name="shard">Predict only this shard's images (<see cref="ShardPartition"/>) into a partial folder with its
    /// <see cref="ShardRecord"/>; a rerun of a finished shard does nothing. Null: every image.</param>
    /// <exception cref="MedSegException">
    /// A run not trained on folder data, classes that differ from the dataset's classes.txt, an image of other channels
    /// than the runs were trained on, or an output that exists.
    /// </exception>
    public static LabelMapPrediction Predict(IReadOnlyList<string> runs, IReadOnlyList<double>? weights, string dataPath, string outPath,
        PredictOptions options, string deviceName, Action<int, int, string>? progress = null, Shard? shard = null) =>
        FolderPipeline.Run(runs, weights, dataPath, outPath, options, () =>
        {
            var device = Devices.Resolve(deviceName);
            var ensemble = LoadedEnsemble.Load(runs, weights, options, device, multiclass: true);
            try
            {
                return new LoadedFolderSegmenter(ensemble, new FolderSegmenter(ensemble.Members, ensemble.Options, device));
            }
            catch
            {
                ensemble.Dispose();
                throw;
            }
        }, progress, shard);

    /// <summary>The TorchSharp side of <see cref="IFolderSegmenter"/>: a loaded ensemble's <see cref="FolderSegmenter"/>.</summary>
    private sealed class LoadedFolderSegmenter(LoadedEnsemble ensemble, FolderSegmenter segmenter) : IFolderSegmenter
    {
        public IReadOnlyList<string> Classes => segmenter.Classes;

        public IReadOnlyList<string> Warnings => ensemble.Warnings;

        public ushort[][] Labels(IReadOnlyList<RasterImage> images, IReadOnlyList<string> paths) => segmenter.Labels(images, paths);

        public void Dispose() => ensemble.Dispose();
    }
}
