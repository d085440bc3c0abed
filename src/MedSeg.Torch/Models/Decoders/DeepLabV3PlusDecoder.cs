using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>
/// smp's DeepLabV3+ decoder: ASPP on the deepest feature (then a separable conv3×3-BN-ReLU, <c>aspp.1</c>…<c>aspp.3</c>),
/// bilinearly upsampled to the stride-4 feature, which a 1×1 convolution reduces to 48 channels (<c>block1</c>);
/// both are concatenated and fused by a separable conv3×3-BN-ReLU (<c>block2</c>). Output: N×channels×H/4×W/4.
/// The deepest feature is at the encoder's output stride (16 by default, as smp dilates the last stage; 8 or 32 on
/// request), so ASPP's output is upsampled by that stride ÷ 4 (align_corners, as smp's <c>UpsamplingBilinear2d</c>).
/// The weights have the same shapes at every output stride.
/// </summary>
public sealed class DeepLabV3PlusDecoder : Module<Tensor[], Tensor>, IOnnxDecoder
{
    /// <summary>Channels of the reduced stride-4 feature, as the DeepLabV3+ authors propose.</summary>
    private const int HighResolutionChannels = 48;

    private readonly Module<Tensor, Tensor> aspp;
    private readonly Module<Tensor, Tensor> block1;
    private readonly Module<Tensor, Tensor> block2;

    /// <param name="encoderChannels">Encoder feature channels, input first (<see cref="Encoder.OutChannels"/>).</param>
    /// <param name="atrousRates">Dilation rates of the three atrous ASPP branches (smp default 12, 24, 36).</param>
    public DeepLabV3PlusDecoder(IReadOnlyList<int> encoderChannels, int outChannels = 256, IReadOnlyList<int>? atrousRates = null,
        double asppDropout = 0.5) : base(nameof(DeepLabV3PlusDecoder))
    {
        aspp = Sequential(
            new Aspp(encoderChannels[^1], outChannels, atrousRates ?? [12, 24, 36], asppDropout),
            Aspp.SeparableConv(outChannels, outChannels, 3, padding: 1, dilation: 1, bias: false),
            new BatchNormalization(outChannels),
            ReLU());
        block1 = Sequential(
            new Conv(encoderChannels[2], HighResolutionChannels, 1, bias: false),
            new BatchNormalization(HighResolutionChannels),
            ReLU());
        block2 = Sequential(
            Aspp.SeparableConv(HighResolutionChannels + outChannels, outChannels, 3, padding: 1, dilation: 1, bias: false),
            new BatchNormalization(outChannels),
            ReLU());
        RegisterComponents();
    }

    public override Tensor forward(Tensor[] features)
    {
        using var scope = NewDisposeScope();
        var highResolution = block1.call(features[2]);
        var context = functional.interpolate(aspp.call(features[^1]), size: [highResolution.shape[2], highResolution.shape[3]],
            mode: InterpolationMode.Bilinear, align_corners: true);
        return block2.call(cat([context, highResolution], 1)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, IReadOnlyList<string> features)
    {
        var highResolution = graph.Apply(block1, features[2]);
        var context = graph.ResizeLike(graph.Apply(aspp, features[^1]), highResolution, "linear", alignCorners: true);
        return graph.Apply(block2, graph.Concat([context, highResolution]));
    }
}
