using MedSeg.Torch.Models.Decoders;

namespace MedSeg.Torch.Models;

/// <summary>
/// smp's <c>UnetPlusPlus</c>: an encoder, the nested U-Net++ decoder (node widths 256, 128, 64, 32, 16 by default)
/// and a 3×3 segmentation head at input size. Keys <c>encoder.*</c>, <c>decoder.blocks.x_{d}_{l}.*</c>, <c>segmentation_head.0.*</c>.
/// </summary>
public sealed class UnetPlusPlus : EncoderDecoderModel
{
    public UnetPlusPlus(string encoderName, int inChannels, int classes, ModelOptions? options = null)
        : this(EncoderRegistry.Create(encoderName, inChannels), classes, options)
    {
    }

    public UnetPlusPlus(Encoder encoder, int classes, ModelOptions? options = null)
        : this(encoder, classes, options ?? ModelOptions.Default, Unet.BlockChannels(encoder, options, "unetplusplus"))
    {
    }

    private UnetPlusPlus(Encoder encoder, int classes, ModelOptions options, IReadOnlyList<int> channels)
        : base(nameof(UnetPlusPlus), encoder, new UnetPlusPlusDecoder(encoder.OutChannels, channels), channels[^1], classes, headKernel: 3, upsampling: 1, options)
    {
    }
}
