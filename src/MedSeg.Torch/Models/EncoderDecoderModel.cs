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
    protected EncoderDecoderModel(string name, Encoder encoder, nn.Module<Tensor[], Tensor> decoder, long decoderChannels,
        int classes, int headKernel, int upsampling, ModelOptions options)
        : base(name, 2, encoder.OutChannels[0], classes, encoder.OutputStride, encoder.OutChannels[^1], options)
    {
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

    /// <summary>The encoder (to load pretrained encoder weights into, or to freeze).</summary>
    public Encoder Encoder => encoder;

    /// <inheritdoc />
    protected override (Tensor Mask, Tensor Deepest) Run(Tensor x)
    {
        var features = encoder.call(x);
        return (segmentation_head.call(decoder.call(features)), features[^1]);
    }
}
