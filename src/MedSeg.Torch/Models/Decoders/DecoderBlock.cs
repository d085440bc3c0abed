using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>
/// smp's U-Net / U-Net++ decoder block: nearest ×2 upsampling, concatenation with the skip feature (when it has
/// channels), then two conv3×3-BatchNorm-ReLU layers (keys <c>conv1.0/.1</c>, <c>conv2.0/.1</c>).
/// </summary>
public sealed class DecoderBlock : Module<Tensor, Tensor?, Tensor>
{
    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> conv2;

    public DecoderBlock(long inChannels, long skipChannels, long outChannels) : base(nameof(DecoderBlock))
    {
        conv1 = Conv2dReLU.Create(inChannels + skipChannels, outChannels, 3);
        conv2 = Conv2dReLU.Create(outChannels, outChannels, 3);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor? skip)
    {
        using var scope = NewDisposeScope();
        var y = functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        if (skip is not null && skip.shape[1] > 0)
        {
            y = cat([y, skip], 1);
        }
        return conv2.call(conv1.call(y)).MoveToOuterDisposeScope();
    }

    /// <summary>As <c>forward</c>, as ONNX nodes; <paramref name="skip"/> null or empty for no (or a 0-channel) skip feature.</summary>
    public string ToOnnx(OnnxGraph graph, string input, string? skip)
    {
        var y = graph.Resize(input, [2.0, 2.0], "nearest");
        if (!string.IsNullOrEmpty(skip))
        {
            y = graph.Concat([y, skip]);
        }
        return graph.Apply(conv2, graph.Apply(conv1, y));
    }
}
