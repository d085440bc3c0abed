using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>
/// The loss of a network with a segmentation output and a per-class classification head ("slice has this organ",
/// logits N×C): segmentation loss + <see cref="ClassificationWeight"/> × BCE of the class logits against
/// <see cref="ClassPresence"/> of the full targets. The ignore mask excludes slices and pixels from the
/// segmentation part only, so ambiguous slices still train the classifier (8th place, UW-Madison 2022).
/// </summary>
public sealed class SegmentationClassificationLoss
{
    public SegmentationClassificationLoss(SegmentationLoss segmentation, double classificationWeight)
    {
        if (!(classificationWeight >= 0) || !double.IsFinite(classificationWeight))
        {
            throw new ArgumentOutOfRangeException(nameof(classificationWeight), classificationWeight, "must be a finite number ≥ 0.");
        }
        Segmentation = segmentation;
        ClassificationWeight = classificationWeight;
    }

    public SegmentationLoss Segmentation { get; }

    public double ClassificationWeight { get; }

    /// <summary>The joint loss for one segmentation output; shapes as in <see cref="SegmentationLoss.Compute(Tensor, Tensor, Tensor?)"/>.</summary>
    public Tensor Compute(Tensor logits, Tensor classLogits, Tensor target, Tensor? ignore = null) =>
        Compute([logits], classLogits, target, ignore);

    /// <summary>The joint loss for a list of outputs under the segmentation loss's deep supervision.</summary>
    public Tensor Compute(IReadOnlyList<Tensor> logits, Tensor classLogits, Tensor target, Tensor? ignore = null)
    {
        using var scope = NewDisposeScope();
        var segmentation = Segmentation.Compute(logits, target, ignore);
        var classification = Classification(classLogits, target, Segmentation.Mode);
        return (segmentation + classification * ClassificationWeight).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// BCE, averaged over samples and classes, of class logits N×C against the presence of each class in
    /// <paramref name="target"/> — on its own, the loss of a classification (empty-slice gate) run.
    /// </summary>
    public static Tensor Classification(Tensor classLogits, Tensor target, LossMode mode)
    {
        using var scope = NewDisposeScope();
        var presence = ClassPresence.Of(target, mode, classLogits.shape[1]);
        if (!presence.shape.SequenceEqual(classLogits.shape))
        {
            throw new ArgumentException($"class logits [{string.Join(", ", classLogits.shape)}] do not match targets with {presence.shape[1]} classes.", nameof(classLogits));
        }
        return BceLoss.PerPixel(classLogits.to_type(ScalarType.Float32), presence).mean().MoveToOuterDisposeScope();
    }
}
