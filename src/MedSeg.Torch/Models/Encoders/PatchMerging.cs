using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// torchvision's Swin <c>PatchMerging</c>: concatenates each 2×2 neighbourhood of an N×H×W×C tensor (padding odd
/// sides), LayerNorm over the 4C channels, and a bias-free linear reduction to 2C. Keys: <c>reduction</c>, <c>norm</c>.
/// </summary>
public sealed class PatchMerging : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> reduction;
    private readonly Module<Tensor, Tensor> norm;

    public PatchMerging(long dim) : base(nameof(PatchMerging))
    {
        reduction = Linear(4 * dim, 2 * dim, hasBias: false);
        norm = LayerNorm(4 * dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = F.pad(x, [0, 0, 0, x.shape[2] % 2, 0, x.shape[1] % 2]);
        var even = TensorIndex.Slice(0, null, 2);
        var odd = TensorIndex.Slice(1, null, 2);
        var merged = cat(
        [
            y[TensorIndex.Colon, even, even, TensorIndex.Colon],
            y[TensorIndex.Colon, odd, even, TensorIndex.Colon],
            y[TensorIndex.Colon, even, odd, TensorIndex.Colon],
            y[TensorIndex.Colon, odd, odd, TensorIndex.Colon],
        ], -1);
        return reduction.call(norm.call(merged)).MoveToOuterDisposeScope();
    }

    /// <summary>As <c>forward</c>, as ONNX nodes, on an N×<paramref name="height"/>×<paramref name="width"/>×C input.</summary>
    public string ToOnnx(OnnxGraph graph, string input, long height, long width)
    {
        var y = graph.PadBottomRight(input, height % 2, width % 2);
        var (h, w) = (height + height % 2, width + width % 2);
        string Take(long row, long column) => graph.Slice(graph.Slice(y, 1, row, h, 2), 2, column, w, 2);
        var merged = graph.Concat([Take(0, 0), Take(1, 0), Take(0, 1), Take(1, 1)], -1);
        return graph.Apply(reduction, graph.Apply(norm, merged));
    }
}
