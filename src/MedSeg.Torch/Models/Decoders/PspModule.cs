using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>
/// smp's UPerNet pyramid pooling module: adaptive average pooling to each size with a 1×1 conv-BN-ReLU
/// (<c>blocks.N.1</c>), bilinearly resized back and concatenated with the input, then fused by a conv3×3-BN-ReLU
/// (<c>out_conv</c>).
/// </summary>
public sealed class PspModule : Module<Tensor, Tensor>
{
    private readonly ModuleList<Module<Tensor, Tensor>> blocks;
    private readonly Module<Tensor, Tensor> out_conv;

    public PspModule(long inChannels, long outChannels, IReadOnlyList<int> sizes) : base(nameof(PspModule))
    {
        blocks = new ModuleList<Module<Tensor, Tensor>>(
            [.. sizes.Select(size => Sequential(AdaptiveAvgPool2d(size), Conv2dReLU.Create(inChannels, outChannels, 1)))]);
        out_conv = Conv2dReLU.Create(inChannels + sizes.Count * outChannels, outChannels, 3);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var size = new[] { x.shape[2], x.shape[3] };
        var pyramid = blocks.Select(block => functional.interpolate(block.call(x), size: size, mode: InterpolationMode.Bilinear, align_corners: false));
        return out_conv.call(cat([x, .. pyramid], 1)).MoveToOuterDisposeScope();
    }

    /// <summary>As <c>forward</c>, as ONNX nodes, for an input of fixed size <paramref name="height"/>×<paramref name="width"/>.</summary>
    public string ToOnnx(OnnxGraph graph, string input, long height, long width)
    {
        var pyramid = blocks.Select(block =>
        {
            var sequential = (Sequential)block;
            var bins = ((AdaptiveAvgPool2d)sequential[0]).output_size[0];
            var pooled = AdaptivePooling.ToOnnx(graph, this, input, height, width, bins);
            var convolved = graph.Apply(sequential[1], pooled);
            return graph.ResizeLike(convolved, input, "linear");
        });
        return graph.Apply(out_conv, graph.Concat([input, .. pyramid]));
    }
}
