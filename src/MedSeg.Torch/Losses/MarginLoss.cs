using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>
/// The capsule networks' margin loss (Sabour et al. 2017) per pixel and class on the probability p = σ(logit) — for
/// <c>segcaps</c> and <c>capsnet3d</c> exactly the final capsule's length: ℓ = t·max(0, m⁺ − p)² +
/// λ·(1 − t)·max(0, p − m⁻)², averaged over kept pixels and classes (binary and multilabel modes).
/// </summary>
internal sealed class MarginLoss(double mPlus, double mMinus, double lambda) : ILossTerm
{
    public Tensor Compute(LossBatch batch)
    {
        var p = batch.Logits.sigmoid();
        var present = nn.functional.relu(p.neg().add(mPlus)).square().mul(batch.Target);
        var absent = nn.functional.relu(p.sub(mMinus)).square().mul(batch.Target.neg().add(1)).mul(lambda);
        return batch.KeptMean(present.add(absent));
    }
}
