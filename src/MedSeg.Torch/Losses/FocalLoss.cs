using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>
/// Focal loss (Lin et al. 2017), averaged over kept pixels. Binary and multilabel modes follow smp's
/// <c>focal_loss_with_logits</c> per element: ℓ = (1 − pₜ)^γ · BCE, pₜ = exp(−BCE), times α·t + (1 − α)·(1 − t)
/// when α is given. Multiclass mode is the softmax focal loss (smp's <c>softmax_focal_loss_with_logits</c>):
/// ℓ = −(1 − p_label)^γ · log p_label, so that it trains the same softmax the model predicts with.
/// </summary>
internal sealed class FocalLoss(double gamma, double? alpha) : ILossTerm
{
    public Tensor Compute(LossBatch batch)
    {
        if (batch.Mode == LossMode.Multiclass)
        {
            var logProbability = batch.LogProbabilityOfLabel();
            return batch.KeptMean(Modulation(logProbability.exp()) * logProbability.neg());
        }
        var bce = BceLoss.PerPixel(batch.Logits, batch.Target);
        var loss = Modulation(bce.neg().exp()) * bce;
        if (alpha is { } a)
        {
            loss = loss * (batch.Target * (2 * a - 1) + (1 - a));
        }
        return batch.KeptMean(loss);
    }

    private Tensor Modulation(Tensor pt)
    {
        var miss = 1.0 - pt;
        // For γ < 1 the derivative of miss^γ is infinite at miss = 0 (a perfectly fitted pixel): keep it finite.
        return gamma < 1 ? miss.clamp_min(1e-6).pow(gamma) : miss.pow(gamma);
    }
}
