using MedSeg.Torch.Models;
using MedSeg.Torch.Models.Capsules;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>
/// The training loss of a network on a batch: its <see cref="SegmentationLoss"/> on the logits, over every output of a
/// network with deep-supervision heads (<see cref="IDeepSupervisedModel"/>: weighted as nnU-Net's,
/// <see cref="DeepSupervision.Halving"/>: 1, ½, ¼, … normalised, the coarsest stage already left out by the network),
/// plus, for a capsule network with a reconstruction decoder and <c>weight</c> &gt; 0, SegCaps' masked reconstruction
/// regulariser: the network reconstructs its input from the final capsules masked by the target masks, and the mean
/// squared error against the input inside the objects (input × union of the class masks), times <c>weight</c>, is added.
/// </summary>
public sealed class NetworkLoss(SegmentationLoss segmentation, double weight)
{
    /// <summary>The scalar loss of <paramref name="model"/> on inputs and multilabel targets N×C×S (0/1 masks).</summary>
    public Tensor Compute(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, Tensor? ignore)
    {
        if (model is IDeepSupervisedModel { DeepSupervisionOutputs: > 1 } deep)
        {
            var outputs = deep.ForwardDeepSupervision(inputs);
            return segmentation.WithDeepSupervision(DeepSupervision.Halving(outputs.Count)).Compute(outputs, targets, ignore);
        }
        if (weight == 0 || model is not CapsuleSegmentationNetwork { HasReconstruction: true } capsules)
        {
            return segmentation.Compute(model.call(inputs), targets, ignore);
        }
        using var scope = NewDisposeScope();
        var masks = targets.to_type(ScalarType.Float32);
        var (logits, reconstruction) = capsules.ForwardWithReconstruction(inputs, masks);
        var objects = inputs.mul(masks.amax([1], keepdim: true));
        var total = segmentation.Compute(logits, targets, ignore) + weight * nn.functional.mse_loss(reconstruction, objects);
        return total.MoveToOuterDisposeScope();
    }
}
