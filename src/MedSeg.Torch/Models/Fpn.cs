using MedSeg.Core;
using MedSeg.Torch.Models.Decoders;

namespace MedSeg.Torch.Models;

/// <summary>
/// smp's <c>FPN</c>: an encoder, the FPN decoder (pyramid 256, segmentation 128 channels by default, output at
/// stride 4) and a 1×1 segmentation head upsampled ×4 to input size. Keys <c>encoder.*</c>, <c>decoder.p5.*</c>,
/// <c>decoder.seg_blocks.N.block.*</c>, <c>segmentation_head.0.*</c>.
/// </summary>
public sealed class Fpn : EncoderDecoderModel
{
    public Fpn(string encoderName, int inChannels, int classes, ModelOptions? options = null)
        : this(EncoderRegistry.Create(encoderName, inChannels), classes, options)
    {
    }

    public Fpn(Encoder encoder, int classes, ModelOptions? options = null)
        : this(encoder, classes, options ?? ModelOptions.Default, Widths(options))
    {
    }

    private Fpn(Encoder encoder, int classes, ModelOptions options, (int Pyramid, int Segmentation) widths)
        : base("FPN", encoder, new FpnDecoder(encoder.OutChannels, widths.Pyramid, widths.Segmentation), widths.Segmentation, classes,
            headKernel: 1, upsampling: 4, options)
    {
    }

    private static (int Pyramid, int Segmentation) Widths(ModelOptions? options)
    {
        var channels = options?.DecoderChannels ?? [256, 128];
        if (channels.Count != 2 || channels[0] < 1 || channels[1] < 1 || channels[1] % 32 != 0)
        {
            throw new MedSegException(
                $"fpn takes two decoder widths, pyramid and segmentation channels (the latter a multiple of 32 for GroupNorm(32)), e.g. 256,128; got {string.Join(",", channels)}.");
        }
        return (channels[0], channels[1]);
    }
}
