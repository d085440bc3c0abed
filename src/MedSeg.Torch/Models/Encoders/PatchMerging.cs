using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

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
}
