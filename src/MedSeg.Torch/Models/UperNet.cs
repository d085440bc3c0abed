using MedSeg.Torch.Models.Decoders;

namespace MedSeg.Torch.Models;

/// <summary>
/// smp's <c>UPerNet</c> (the decoder the 1st- and 2nd-place UW-Madison teams put on ConvNeXt/Swin): an encoder, the
/// UPerNet decoder (pyramid pooling + FPN fusion, 256 channels by default, output at stride 4) and a 1×1 segmentation
/// head upsampled ×4. Keys <c>encoder.*</c>, <c>decoder.psp.*</c>, <c>decoder.fpn_lateral_blocks.N.*</c>,
/// <c>decoder.fusion_block.*</c>, <c>segmentation_head.0.*</c>.
/// </summary>
public sealed class UperNet : EncoderDecoderModel
{
    public UperNet(string encoderName, int inChannels, int classes, ModelOptions? options = null)
        : this(EncoderRegistry.Create(encoderName, inChannels), classes, options)
    {
    }

    public UperNet(Encoder encoder, int classes, ModelOptions? options = null)
        : this(encoder, classes, options ?? ModelOptions.Default, DeepLabV3Plus.SingleWidth(options, "upernet"))
    {
    }

    private UperNet(Encoder encoder, int classes, ModelOptions options, int channels)
        : base("UPerNet", encoder, new UperNetDecoder(encoder.OutChannels, channels), channels, classes, headKernel: 1, upsampling: 4, options)
    {
    }
}
