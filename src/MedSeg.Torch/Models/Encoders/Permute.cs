using TorchSharp;
using static TorchSharp.torch;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>torchvision's <c>ops.misc.Permute</c>: reorders dimensions (NCHW ↔ NHWC inside ConvNeXt and Swin).</summary>
public sealed class Permute : nn.Module<Tensor, Tensor>, IOnnxModule
{
    private readonly long[] dims;

    public Permute(params long[] dims) : base(nameof(Permute))
    {
        this.dims = dims;
    }

    public override Tensor forward(Tensor x) => x.permute(dims);

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input) => graph.Transpose(input, dims);
}
