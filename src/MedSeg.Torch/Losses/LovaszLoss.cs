using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>
/// The Lovász extension of the Jaccard loss (Berman et al. 2018). Binary and multilabel modes use the Lovász hinge
/// on errors 1 − x·(2t − 1), each class a binary problem of its own (smp would merge a multilabel image's channels
/// into one); multiclass mode uses the Lovász-softmax on errors |t − p| of each class present. With
/// <c>per_image</c> the loss is computed per image (and class) and averaged, else once over the batch.
/// Ignored pixels are moved behind every kept one with zero error, which leaves the loss of the kept ones exact;
/// an image with no kept pixel is left out of the mean.
/// </summary>
internal sealed class LovaszLoss(bool perImage) : ILossTerm
{
    public Tensor Compute(LossBatch batch)
    {
        var n = batch.Logits.shape[0];
        var classes = batch.Classes;
        var target = batch.Target;
        var keep = (batch.Keep ?? ones_like(batch.Logits.narrow(1, 0, 1))).expand_as(target);
        var hinge = batch.Mode != LossMode.Multiclass;
        var errors = hinge
            ? (1.0 - batch.Logits * (target * 2.0 - 1.0)).masked_fill(keep.eq(0), double.NegativeInfinity)
            : (target - batch.Probabilities()).abs() * keep;
        var foreground = target * keep;

        // Rows are (image, class) pairs, or classes over the whole batch.
        var rows = perImage ? n * classes : classes;
        errors = Rows(errors, perImage, rows);
        foreground = Rows(foreground, perImage, rows);
        var counted = Rows(keep, perImage, rows).sum(1).gt(0);
        if (!hinge)
        {
            // Lovász-softmax averages over the classes present (smp's classes="present").
            counted = counted.logical_and(foreground.sum(1).gt(0));
        }
        var losses = RowLosses(errors, foreground, hinge) * counted;
        var countedF = counted.to_type(ScalarType.Float32);
        if (!perImage || hinge)
        {
            return losses.sum() / countedF.sum().clamp_min(1);
        }
        // Lovász-softmax per image: mean over the image's present classes, then over images with kept pixels.
        var perImageSum = losses.reshape(n, classes).sum(1);
        var perImageCount = countedF.reshape(n, classes).sum(1);
        var imageCounted = perImageCount.gt(0).to_type(ScalarType.Float32);
        return (perImageSum / perImageCount.clamp_min(1)).sum() / imageCounted.sum().clamp_min(1);
    }

    private static Tensor Rows(Tensor values, bool perImage, long rows) =>
        perImage ? values.reshape(rows, -1) : values.transpose(0, 1).reshape(rows, -1);

    /// <summary>
    /// Each row's loss: errors sorted in decreasing order, dotted with the gradient of the Lovász extension of the
    /// Jaccard loss (Alg. 1 of the paper), the hinge taking the positive part of the errors first.
    /// </summary>
    private static Tensor RowLosses(Tensor errors, Tensor foreground, bool hinge)
    {
        var (sorted, order) = errors.sort(1, descending: true);
        var foregroundSorted = foreground.gather(1, order);
        var total = foregroundSorted.sum(1, keepdim: true);
        var intersection = total - foregroundSorted.cumsum(1);
        var union = total + (1.0 - foregroundSorted).cumsum(1);
        var jaccard = 1.0 - intersection / union;
        var previous = cat([zeros_like(jaccard.narrow(1, 0, 1)), jaccard.narrow(1, 0, jaccard.shape[1] - 1)], 1);
        var gradient = jaccard - previous;
        return ((hinge ? nn.functional.relu(sorted) : sorted) * gradient).sum(1);
    }
}
