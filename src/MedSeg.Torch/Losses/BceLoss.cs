using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>
/// Binary cross-entropy with logits, averaged over kept pixels and classes (binary and multilabel modes):
/// ℓ = −[w·t·log σ(x) + (1 − t)·log(1 − σ(x))] with w = <c>pos_weight</c>, the weight of foreground pixels,
/// computed as PyTorch does: (1 − t)·x + (1 + (w − 1)·t)·softplus(−x).
/// </summary>
internal sealed class BceLoss(double posWeight) : ILossTerm
{
    public Tensor Compute(LossBatch batch) => batch.KeptMean(PerPixel(batch.Logits, batch.Target, posWeight));

    /// <summary>The unreduced loss, elementwise over <paramref name="logits"/> and 0/1 <paramref name="target"/>.</summary>
    public static Tensor PerPixel(Tensor logits, Tensor target, double posWeight = 1.0)
    {
        var softplus = nn.functional.softplus(logits.neg());
        var negative = (1.0 - target) * logits;
        return posWeight == 1.0
            ? negative + softplus
            : negative + (target * (posWeight - 1.0) + 1.0) * softplus;
    }
}
