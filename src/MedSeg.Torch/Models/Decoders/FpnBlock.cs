using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>smp's FPN top-down step: nearest ×2 upsampling of the coarser level plus a 1×1 lateral convolution (<c>skip_conv</c>) of the encoder feature.</summary>
public sealed class FpnBlock : Module<Tensor, Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> skip_conv;

    public FpnBlock(long pyramidChannels, long skipChannels) : base(nameof(FpnBlock))
    {
        skip_conv = new Conv(skipChannels, pyramidChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor skip)
    {
        using var scope = NewDisposeScope();
        var up = functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        return up.add_(skip_conv.call(skip)).MoveToOuterDisposeScope();
    }

    /// <summary>As <c>forward</c>, as ONNX nodes.</summary>
    public string ToOnnx(OnnxGraph graph, string input, string skip) =>
        graph.Add(graph.Resize(input, [2.0, 2.0], "nearest"), graph.Apply(skip_conv, skip));
}
