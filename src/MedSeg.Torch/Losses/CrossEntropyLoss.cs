using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>Cross-entropy of the softmax over classes, −log p(label), averaged over kept pixels (multiclass mode).</summary>
internal sealed class CrossEntropyLoss : ILossTerm
{
    public Tensor Compute(LossBatch batch) => batch.KeptMean(batch.LogProbabilityOfLabel().neg());
}
