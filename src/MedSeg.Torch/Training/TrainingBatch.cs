using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// One batch: network inputs, targets (masks N×C×spatial, or per-class presence N×C for classification) and an
/// optional ignore mask (N, or N×1×spatial; non-zero = excluded from the loss). The tensors belong to the dispose
/// scope they were created in.
/// </summary>
public sealed record TrainingBatch(Tensor Inputs, Tensor Targets, Tensor? Ignore = null)
{
    /// <summary>The same batch on <paramref name="device"/>.</summary>
    public TrainingBatch To(Device device) => new(Inputs.to(device), Targets.to(device), Ignore?.to(device));
}
