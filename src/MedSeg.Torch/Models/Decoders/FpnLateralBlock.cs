using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>smp's UPerNet FPN step: a 1×1 conv-BN-ReLU of the encoder feature (<c>conv_norm_relu</c>) plus the coarser level, bilinearly resized to it.</summary>
public sealed class FpnLateralBlock : Module<Tensor, Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> conv_norm_relu;

    public FpnLateralBlock(long lateralChannels, long outChannels) : base(nameof(FpnLateralBlock))
    {
        conv_norm_relu = Conv2dReLU.Create(lateralChannels, outChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor state, Tensor lateral)
    {
        using var scope = NewDisposeScope();
        var y = conv_norm_relu.call(lateral);
        var up = functional.interpolate(state, size: [y.shape[2], y.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
        return up.add_(y).MoveToOuterDisposeScope();
    }

    /// <summary>As <c>forward</c>, as ONNX nodes.</summary>
    public string ToOnnx(OnnxGraph graph, string state, string lateral)
    {
        var y = graph.Apply(conv_norm_relu, lateral);
        return graph.Add(graph.ResizeLike(state, y, "linear"), y);
    }
}
