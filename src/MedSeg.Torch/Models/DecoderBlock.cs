using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models;

/// <summary>
/// smp's U-Net decoder block: nearest ×2 upsampling, concatenation with the skip feature, then two
/// conv3×3-BatchNorm-ReLU layers (keys <c>conv1.0/.1</c>, <c>conv2.0/.1</c> as in smp's <c>Conv2dReLU</c>).
/// </summary>
public sealed class DecoderBlock : Module<Tensor, Tensor?, Tensor>
{
    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> conv2;

    public DecoderBlock(long inChannels, long skipChannels, long outChannels) : base(nameof(DecoderBlock))
    {
        conv1 = ConvBnRelu(inChannels + skipChannels, outChannels);
        conv2 = ConvBnRelu(outChannels, outChannels);
        RegisterComponents();
    }

    /// <summary>conv3×3 (no bias) → BatchNorm → ReLU, as a Sequential so its keys are 0, 1, 2.</summary>
    public static Module<Tensor, Tensor> ConvBnRelu(long inChannels, long outChannels) =>
        Sequential(
            new Conv(inChannels, outChannels, 3, padding: 1, bias: false),
            BatchNorm2d(outChannels),
            ReLU(inplace: true));

    public override Tensor forward(Tensor x, Tensor? skip)
    {
        using var scope = NewDisposeScope();
        var y = functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        if (skip is not null)
        {
            y = cat([y, skip], 1);
        }
        return conv2.call(conv1.call(y)).MoveToOuterDisposeScope();
    }
}
