using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>
/// The soft Tversky family, per class over the whole batch, smp style: probabilities p (sigmoid, or softmax in
/// multiclass mode) and targets t give TPc = Σp·t, FPc = Σp·(1 − t), FNc = Σ(1 − p)·t over batch and kept pixels;
/// Tc = (TPc + s) / max(TPc + α·FPc + β·FNc + s, ε); the loss is the mean over all C classes of (1 − Tc)^γ, where
/// a class absent from the batch's targets contributes 0 (its score is undefined) but still counts in the mean.
/// α = β = ½, γ = 1 is smp's soft Dice loss (2·TP / (Σp + Σt)); γ = 1 is smp's TverskyLoss; γ ≠ 1 is the focal
/// Tversky loss of Abraham &amp; Khan (2019) per class — smp's own FocalTverskyLoss returns 1 − (1 − T)^γ, which
/// is 1 for a perfect prediction, so it is not followed.
/// </summary>
internal sealed class TverskyLoss(double alpha, double beta, double gamma, double smooth, double eps = 1e-7) : ILossTerm
{
    public Tensor Compute(LossBatch batch)
    {
        var probabilities = batch.Probabilities();
        var target = batch.Target;
        if (batch.Keep is { } keep)
        {
            probabilities = probabilities * keep;
            target = target * keep;
        }
        long[] dims = [0, 2];
        var truePositive = (probabilities * target).sum(dims);
        var falsePositive = (probabilities * (1.0 - target)).sum(dims);
        var falseNegative = ((1.0 - probabilities) * target).sum(dims);
        var denominator = truePositive + falsePositive * alpha + falseNegative * beta + smooth;
        var score = (truePositive + smooth) / denominator.clamp_min(eps);
        var miss = 1.0 - score;
        if (gamma != 1)
        {
            // (1 − T)^γ with γ < 1 has an infinite derivative at T = 1: keep it finite.
            miss = miss.clamp_min(eps).pow(gamma);
        }
        var present = target.sum(dims).gt(0).to_type(ScalarType.Float32);
        return (miss * present).mean();
    }
}
