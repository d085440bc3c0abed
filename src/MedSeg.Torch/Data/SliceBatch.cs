using static TorchSharp.torch;

namespace MedSeg.Torch.Data;

/// <summary>
/// A training batch as tensors on the CPU: inputs N×K×h×w, targets N×C×h×w (0/1) and, when some slice is excluded
/// from the loss, <see cref="Ignore"/> (N, 1 = ignored) in the whole-slice form SegmentationLoss takes. Created in the
/// caller's dispose scope; disposing the batch frees its tensors early.
/// </summary>
public sealed record SliceBatch(Tensor Inputs, Tensor Targets, Tensor? Ignore) : IDisposable
{
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Ignore?.Dispose();
    }
}
