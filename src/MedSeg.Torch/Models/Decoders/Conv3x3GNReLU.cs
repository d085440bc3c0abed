using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>smp's FPN <c>Conv3x3GNReLU</c>: conv3×3 (no bias), GroupNorm(32), ReLU in <c>block</c>, then optionally ×2 bilinear upsampling (corners aligned).</summary>
public sealed class Conv3x3GNReLU : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Module<Tensor, Tensor> block;
    private readonly bool upsample;

    public Conv3x3GNReLU(long inChannels, long outChannels, bool upsample) : base(nameof(Conv3x3GNReLU))
    {
        block = Sequential(
            new Conv(inChannels, outChannels, 3, padding: 1, bias: false),
            new GroupNormalization(32, outChannels),
            ReLU(inplace: true));
        this.upsample = upsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (!upsample)
        {
            return block.call(x);
        }
        using var scope = NewDisposeScope();
        return functional.interpolate(block.call(x), scale_factor: [2.0, 2.0], mode: InterpolationMode.Bilinear, align_corners: true)
            .MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        var y = graph.Apply(block, input);
        return upsample ? graph.Resize(y, [2.0, 2.0], "linear", alignCorners: true) : y;
    }
}
