using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// The 2D encoder–decoder layout every smp architecture shares: an <see cref="Encoder"/> (features largest first), a
/// decoder that fuses them, smp's segmentation head and the optional classification head on the encoder's deepest
/// feature. State-dict keys are smp's: <c>encoder.*</c>, <c>decoder.*</c>, <c>segmentation_head.0.*</c>,
/// <c>classification_head.3.*</c>. The decoder and heads are initialised as smp's <c>initialize()</c> does.
/// </summary>
public abstract class EncoderDecoderModel : SegmentationModel
{
    protected readonly Encoder encoder;
    protected readonly nn.Module<Tensor[], Tensor> decoder;
    protected readonly nn.Module<Tensor, Tensor> segmentation_head;

    /// <param name="decoderChannels">Channels of the decoder's output.</param>
    /// <param name="headKernel">Segmentation head kernel size (smp: 3 for U-Net/U-Net++, 1 otherwise).</param>
    /// <param name="upsampling">Factor from the decoder's output to the input size (1 or 4 in smp).</param>
    /// <param name="outputStrides">Encoder output strides the decoder handles (default 32 alone: its blocks undo one stride-2 stage each).</param>
    protected EncoderDecoderModel(string name, Encoder encoder, nn.Module<Tensor[], Tensor> decoder, long decoderChannels,
        int classes, int headKernel, int upsampling, ModelOptions options, IReadOnlyList<int>? outputStrides = null)
        : base(name, 2, encoder.OutChannels[0], classes, encoder.OutputStride, encoder.OutChannels[^1], options)
    {
        CheckOutputStride(name.ToLowerInvariant(), encoder, options, outputStrides ?? [Encoder.UndilatedOutputStride]);
        this.encoder = encoder;
        this.decoder = decoder;
        segmentation_head = Heads.Segmentation(decoderChannels, classes, headKernel, upsampling);
        RegisterComponents();
        SmpInit.Decoder(decoder);
        SmpInit.Head(segmentation_head);
        if (classification_head is not null)
        {
            SmpInit.Head(classification_head);
        }
    }

    /// <inheritdoc />
    protected override IEnumerable<nn.Module> OutputLayers => [segmentation_head];

    private static void CheckOutputStride(string arch, Encoder encoder, ModelOptions options, IReadOnlyList<int> outputStrides)
    {
        var requested = options.OutputStride ?? encoder.OutputStride;
        if (!outputStrides.Contains(requested))
        {
            var valid = string.Join(" or ", outputStrides);
            var hint = outputStrides.Count == 1 ? "; only deeplabv3plus dilates its encoder, so leave the output stride unset" : "";
            throw new MedSegException($"{arch} takes output stride {valid}, not {requested}{hint}.");
        }
        if (encoder.OutputStride != requested)
        {
            throw new MedSegException(
                $"encoder {encoder.GetName()} runs at output stride {encoder.OutputStride}, not the {requested} asked for; pass an encoder as built (output stride 32).");
        }
    }

    /// <summary>The encoder (to load pretrained encoder weights into, or to freeze).</summary>
    public Encoder Encoder => encoder;

    /// <inheritdoc />
    /// <summary>
    /// ResNet encoders with U-Net or U-Net++ decoders are convolutions, BatchNorm, ReLU, max pooling, nearest
    /// upsampling and concatenation only, all of which take bf16 activations.
    /// </summary>
    protected override bool KeepsReducedActivations =>
        encoder is Encoders.ResNetEncoder && decoder is Decoders.UnetDecoder or Decoders.UnetPlusPlusDecoder;

    protected override (Tensor Mask, Tensor Deepest) Run(Tensor x)
    {
        var features = encoder.call(x);
        return (segmentation_head.call(decoder.call(features)), features[^1]);
    }

    /// <inheritdoc />
    protected override (string Mask, string Deepest) RunOnnx(Export.OnnxGraph graph, string input)
    {
        var features = encoder.ToOnnx(graph, input);
        var described = decoder as Export.IOnnxDecoder ?? throw graph.Unsupported(decoder, "this decoder");
        return (graph.Apply(segmentation_head, described.ToOnnx(graph, features)), features[^1]);
    }
}
