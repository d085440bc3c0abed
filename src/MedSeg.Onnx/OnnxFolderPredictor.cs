using MedSeg.Core;
using MedSeg.Core.Inference;
using MedSeg.Core.Sharding;

namespace MedSeg.Onnx;

/// <summary>
/// <c>medseg predict --backend onnx</c> for 2-D images, without libtorch: <see cref="FolderPipeline"/> (a folder dataset
/// or a plain folder of images → <c>OUT/STEM.png</c> index maps at each image's own size, sharded or not) with model
/// bundles or exported ONNX models of runs trained on folder data, segmented by an <see cref="OnnxFolderSegmenter"/>:
/// the index maps of MedSeg.Torch's <c>FolderPredictor</c>.
/// </summary>
public static class OnnxFolderPredictor
{
    /// <param name="models">Model bundles (<c>*.zip</c>) or exported models (<c>*.onnx</c>) of folder-data runs, one per ensemble member.</param>
    /// <param name="weights">One weight per model (null = equal).</param>
    /// <param name="options">As for the TorchSharp backend (test-time views, batch size); <see cref="PredictOptions.Backend"/> is not read.</param>
    /// <param name="progress">Called after each batch with (done, total, last image id).</param>
    /// <param name="shard">Predict only this shard's images into a partial folder with its record; null: every image.</param>
    /// <exception cref="MedSegException">
    /// A model not trained on folder data, classes that differ from the dataset's classes.txt, an image of other channels
    /// than the models were trained on, or an output that exists.
    /// </exception>
    public static LabelMapPrediction Predict(IReadOnlyList<string> models, IReadOnlyList<double>? weights, string dataPath, string outPath,
        PredictOptions options, Action<int, int, string>? progress = null, Shard? shard = null) =>
        FolderPipeline.Run(models, weights, dataPath, outPath, options, () =>
        {
            var ensemble = OnnxEnsemble.Open(models, weights, options, multiclass: true);
            try
            {
                return new OnnxFolderSegmenter(ensemble);
            }
            catch
            {
                ensemble.Dispose();
                throw;
            }
        }, progress, shard);
}
