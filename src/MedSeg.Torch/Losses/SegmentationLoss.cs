using MedSeg.Core;
using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>
/// A weighted sum of segmentation loss terms, parsed from the <c>--loss</c> description (grammar in
/// <see cref="LossDescriptionParser"/>; e.g. <c>bce:0.5+dice:0.5</c>, <c>focal+dice</c>,
/// <c>tversky(alpha=0.7,beta=0.3)</c>), for one <see cref="LossMode"/>. Terms:
/// <list type="bullet">
/// <item><c>bce(pos_weight=1)</c> — binary cross-entropy with logits (binary, multilabel).</item>
/// <item><c>ce</c> — cross-entropy of the softmax (multiclass).</item>
/// <item><c>dice(smooth=0)</c> — smp's soft Dice loss, per class over the batch; classes absent from the targets add 0.</item>
/// <item><c>focal(gamma=2,alpha=none)</c> — focal loss (sigmoid per element; softmax focal in multiclass mode).</item>
/// <item><c>tversky(alpha=0.5,beta=0.5,smooth=0)</c> — α weighs false positives, β false negatives (smp's convention).</item>
/// <item><c>focal_tversky(alpha=0.5,beta=0.5,gamma=0.75,smooth=0)</c> — mean over classes of (1 − Tversky)^γ.</item>
/// <item><c>lovasz(per_image=true)</c> — Lovász hinge (binary, multilabel) or Lovász-softmax (multiclass).</item>
/// </list>
/// Optionally an ignore mask excludes pixels (N×1×S) or whole slices (N) from every term, and a list of outputs
/// at several resolutions is weighted by <see cref="Losses.DeepSupervision"/>.
/// </summary>
public sealed class SegmentationLoss
{
    private SegmentationLoss(LossMode mode, IReadOnlyList<LossTerm> terms, DeepSupervision? deepSupervision)
    {
        Mode = mode;
        Terms = terms;
        DeepSupervision = deepSupervision;
    }

    public LossMode Mode { get; }

    /// <summary>The parsed terms in written order, every parameter resolved.</summary>
    public IReadOnlyList<LossTerm> Terms { get; }

    /// <summary>How auxiliary outputs are weighted; null when only the full-resolution output is trained.</summary>
    public DeepSupervision? DeepSupervision { get; }

    /// <summary>One line per term the description may use: how it is written with its defaults, and what it is (for help text).</summary>
    public static IReadOnlyList<string> TermHelp { get; } = LossCatalog.Terms.Select(t => $"{t.Usage}: {t.Summary}").ToArray();

    /// <summary>Parses a loss description, throwing a <see cref="MedSegException"/> naming <c>--loss</c> and the valid terms when it is invalid.</summary>
    public static SegmentationLoss Parse(string text, LossMode mode = LossMode.Multilabel) =>
        new(mode, LossDescriptionParser.Parse(text, mode), null);

    /// <summary>The same terms, applied to a list of outputs weighted by <paramref name="deepSupervision"/>.</summary>
    public SegmentationLoss WithDeepSupervision(DeepSupervision deepSupervision) => new(Mode, Terms, deepSupervision);

    /// <summary>
    /// The scalar loss of <paramref name="logits"/> (N×C×S) against <paramref name="target"/> (shapes in
    /// <see cref="LossMode"/>). <paramref name="ignore"/>: null, N or N×1×S, non-zero where a slice or pixel is
    /// excluded; excluded pixels change neither the value nor any gradient.
    /// </summary>
    public Tensor Compute(Tensor logits, Tensor target, Tensor? ignore = null)
    {
        using var scope = NewDisposeScope();
        var batch = LossBatch.Of(logits, target, ignore, Mode);
        Tensor? total = null;
        foreach (var term in Terms)
        {
            var weighted = term.Function.Compute(batch) * term.Weight;
            total = total is null ? weighted : total + weighted;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The loss of a network with auxiliary outputs: <paramref name="logits"/>[0] at full resolution, then the
    /// auxiliary ones at lower resolutions, weighted by <see cref="DeepSupervision"/> against targets (and the
    /// ignore mask) downsampled to each output's size. Without deep supervision only one output is accepted.
    /// </summary>
    public Tensor Compute(IReadOnlyList<Tensor> logits, Tensor target, Tensor? ignore = null)
    {
        if (DeepSupervision is null)
        {
            if (logits.Count != 1)
            {
                throw new ArgumentException($"{logits.Count} outputs need deep-supervision weights; call WithDeepSupervision first.", nameof(logits));
            }
            return Compute(logits[0], target, ignore);
        }
        return DeepSupervision.Combine(logits, target, ignore, Mode, Compute);
    }

    /// <summary>The resolved description, every parameter and weight spelled out (for the run folder).</summary>
    public override string ToString() => string.Join("+", Terms);
}
