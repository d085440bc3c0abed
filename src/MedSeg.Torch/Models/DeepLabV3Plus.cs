using MedSeg.Core;
using MedSeg.Torch.Models.Decoders;

namespace MedSeg.Torch.Models;

/// <summary>
/// smp's <c>DeepLabV3Plus</c>: an encoder, the DeepLabV3+ decoder (ASPP with separable atrous convolutions at rates
/// 12, 24, 36 and 256 channels by default, output at stride 4) and a 1×1 segmentation head upsampled ×4. The encoder
/// keeps output stride 32 (smp dilates it to 16); see <see cref="DeepLabV3PlusDecoder"/>. Keys <c>encoder.*</c>,
/// <c>decoder.aspp.0.convs.N.*</c>, <c>decoder.block1.*</c>, <c>decoder.block2.*</c>, <c>segmentation_head.0.*</c>.
/// </summary>
public sealed class DeepLabV3Plus : EncoderDecoderModel
{
    public DeepLabV3Plus(string encoderName, int inChannels, int classes, ModelOptions? options = null)
        : this(EncoderRegistry.Create(encoderName, inChannels), classes, options)
    {
    }

    public DeepLabV3Plus(Encoder encoder, int classes, ModelOptions? options = null)
        : this(encoder, classes, options ?? ModelOptions.Default, SingleWidth(options, "deeplabv3plus"))
    {
    }

    private DeepLabV3Plus(Encoder encoder, int classes, ModelOptions options, int channels)
        : base(nameof(DeepLabV3Plus), encoder, new DeepLabV3PlusDecoder(encoder.OutChannels, channels), channels, classes,
            headKernel: 1, upsampling: 4, options)
    {
    }

    /// <summary>The one decoder width of DeepLabV3+ and UPerNet (default 256).</summary>
    internal static int SingleWidth(ModelOptions? options, string arch)
    {
        var channels = options?.DecoderChannels ?? [256];
        if (channels.Count != 1 || channels[0] < 1)
        {
            throw new MedSegException($"{arch} takes one decoder width (e.g. 256); got {string.Join(",", channels)}.");
        }
        return channels[0];
    }
}
