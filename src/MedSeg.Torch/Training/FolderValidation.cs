using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Metrics;
using MedSeg.Torch.Inference;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// Validation of a folder-dataset run: the validation images are segmented at their own size by a
/// <see cref="FolderSegmenter"/> holding the model alone, exactly as <c>medseg predict</c> would, and scored by the
/// dataset-wide mean IoU over every class, background included (<see cref="MulticlassIou"/>), with the mean Dice beside it.
/// </summary>
public static class FolderValidation
{
    /// <summary>The mean IoU (score) and mean Dice of <paramref name="segmenter"/>'s label maps of <paramref name="items"/>.</summary>
    public static ValidationResult Validate(FolderSegmenter segmenter, IReadOnlyList<FolderItem> items, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(items);
        var iou = new MulticlassIou(segmenter.Classes);
        for (var first = 0; first < items.Count; first += batchSize)
        {
            var batch = items.Skip(first).Take(batchSize).ToArray();
            var read = OrderedParallel.Map(batch, item => item.Read());
            var labels = segmenter.Labels(read.Select(r => r.Image).ToArray(), batch.Select(b => b.ImagePath).ToArray());
            for (var i = 0; i < batch.Length; i++)
            {
                iou.Update(labels[i], read[i].Mask, batch[i].Id);
            }
        }
        var result = iou.Compute();
        return new ValidationResult(result.Mean, result.MeanDice, double.NaN);
    }

    /// <summary>A segmenter of <paramref name="model"/> alone, with prediction's defaults and the run's batch size.</summary>
    public static FolderSegmenter Segmenter(nn.Module<Tensor, Tensor> model, TrainConfig config, IReadOnlyList<string> classes, int imageChannels, Device device) =>
        new([new EnsembleMember(model, config, classes, 1.0) { Multiclass = true, ImageChannels = imageChannels }], new PredictOptions(BatchSize: config.BatchSize), device);
}
