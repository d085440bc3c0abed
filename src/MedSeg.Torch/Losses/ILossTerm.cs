using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>One term of a <see cref="SegmentationLoss"/>: a scalar loss of a <see cref="LossBatch"/>, ignored pixels excluded.</summary>
internal interface ILossTerm
{
    Tensor Compute(LossBatch batch);
}
