using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// A segmentation network with nnU-Net's deep-supervision heads: besides the full-resolution logits of
/// <c>forward</c>, logits of lower-resolution decoder stages that only the training loss reads
/// (<see cref="Losses.DeepSupervision"/>). Inference, validation and export use <c>forward</c>, the main head alone.
/// </summary>
public interface IDeepSupervisedModel
{
    /// <summary>How many outputs <see cref="ForwardDeepSupervision"/> returns (1 = no auxiliary heads).</summary>
    int DeepSupervisionOutputs { get; }

    /// <summary>The full-resolution logits first (as <c>forward</c>), then each auxiliary head's at ½, ¼, … of the input size.</summary>
    IReadOnlyList<Tensor> ForwardDeepSupervision(Tensor x);
}
