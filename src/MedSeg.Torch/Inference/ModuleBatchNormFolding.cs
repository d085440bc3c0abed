using MedSeg.Torch.Export;
using MedSeg.Torch.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// Folds eval-mode BatchNorm layers into the <see cref="Conv"/> before them on a TorchSharp module tree, for an
/// inference-only network: W' = W·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β, and the BatchNorm is replaced by an identity.
/// Which pairs may be folded is read from the network's dataflow, the ONNX description every MedSeg module gives of its
/// forward pass: a pair qualifies when the BatchNorm is the only reader of that convolution's output
/// (<see cref="BatchNormFolding.FoldablePairs"/>, the rule the ONNX export folds by) and each of the two modules is
/// called once. The model is changed in place: fold only a network that is never trained or saved again.
/// </summary>
public static class ModuleBatchNormFolding
{
    /// <summary>Folds the qualifying pairs of <paramref name="model"/>; returns how many were folded.</summary>
    /// <param name="spatialSize">An input size the network takes (networks such as Swin describe their graph for one size).</param>
    public static int Apply(nn.Module<Tensor, Tensor> model, long[] spatialSize)
    {
        model.eval();
        var graph = new OnnxGraph(spatialSize);
        graph.AddModel(model);
        string[] outputs;
        using (no_grad())
        {
            outputs = model switch
            {
                SegmentationModel segmentation => segmentation.ToOnnx(graph, OnnxExporter.Input) is var (mask, classLogits)
                    ? [mask, .. classLogits is null ? Array.Empty<string>() : [classLogits]] : [],
                _ => [graph.Apply(model, OnnxExporter.Input)],
            };
        }
        var owners = graph.WeightOwners;
        // A module whose weight was described more than once is called in more than one place: folding would change all of them.
        var calls = owners.Values.Where(o => o.Name == "weight").GroupBy(o => o.Module, ReferenceEqualityComparer.Instance)
            .ToDictionary(g => g.Key!, g => g.Count(), ReferenceEqualityComparer.Instance);
        var folded = 0;
        foreach (var (convNode, normNode) in BatchNormFolding.FoldablePairs(graph.Proto, outputs))
        {
            if (owners.GetValueOrDefault(convNode.Input[1]).Module is not Conv conv
                || owners.GetValueOrDefault(normNode.Input[1]).Module is not BatchNorm norm
                || calls[conv] != 1 || calls[norm] != 1)
            {
                continue;
            }
            Fold(conv, norm);
            if (!ModuleFields.Replace(model, norm, nn.Identity()))
            {
                throw new InvalidOperationException($"could not replace the folded {norm.GetName()}: no module holds it in a field or module list.");
            }
            folded++;
        }
        return folded;
    }

    private static void Fold(Conv conv, BatchNorm norm)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Computed in float64 so the fold adds no rounding beyond the final cast to the weights' type.
        var scale = norm.weight!.to(ScalarType.Float64) / (norm.running_var!.to(ScalarType.Float64) + norm.eps).sqrt();
        var shift = norm.bias!.to(ScalarType.Float64) - norm.running_mean!.to(ScalarType.Float64) * scale;
        conv.FoldAffine(scale, shift);
    }
}
