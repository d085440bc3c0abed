using MedSeg.Core;
using MedSeg.Torch.Models.Decoders;

namespace MedSeg.Torch.Models;

/// <summary>
/// smp's <c>DeepLabV3Plus</c>: an encoder dilated to output stride 16 (smp's default <c>encoder_output_stride</c>; 8
/// and the undilated 32 on request through <see cref="ModelOptions.OutputStride"/>), the DeepLabV3+ decoder (ASPP
/// with separable atrous convolutions at rates 12, 24, 36 and 256 channels by default, output at stride 4) and a 1×1
/// segmentation head upsampled ×4. Inputs must be multiples of the output stride. Encoders that cannot be dilated
/// (Swin) run at output stride 32 unless 16 or 8 is asked for, which is an error. Dilation adds no parameters: keys
/// and shapes are the same at every output stride — <c>encoder.*</c>, <c>decoder.aspp.0.convs.N.*</c>,
/// <c>decoder.block1.*</c>, <c>decoder.block2.*</c>, <c>segmentation_head.0.*</c>.
/// </summary>
public sealed class DeepLabV3Plus : EncoderDecoderModel
{
    /// <summary>smp's default encoder output stride for DeepLabV3+.</summary>
    public const int DefaultOutputStride = 16;

    /// <summary>The output strides DeepLabV3+ takes: smp's 16 and 8, and the undilated encoder's 32.</summary>
    public static readonly IReadOnlyList<int> OutputStrides = [8, 16, Encoder.UndilatedOutputStride];

    public DeepLabV3Plus(string encoderName, int inChannels, int classes, ModelOptions? options = null)
        : this(EncoderRegistry.Create(encoderName, inChannels), classes, options)
    {
    }

    /// <param name="encoder">
    /// The encoder, which this model dilates to <see cref="ModelOptions.OutputStride"/> when set, else to
    /// <see cref="DefaultOutputStride"/> when it is undilated and can be dilated; otherwise it is used as it is.
    /// </param>
    public DeepLabV3Plus(Encoder encoder, int classes, ModelOptions? options = null)
        : this(Dilated(encoder, options), classes, options ?? ModelOptions.Default, SingleWidth(options, "deeplabv3plus"))
    {
    }

    private DeepLabV3Plus(Encoder encoder, int classes, ModelOptions options, int channels)
        : base(nameof(DeepLabV3Plus), encoder, new DeepLabV3PlusDecoder(encoder.OutChannels, channels), channels, classes,
            headKernel: 1, upsampling: 4, options, OutputStrides)
    {
    }

    private static Encoder Dilated(Encoder encoder, ModelOptions? options)
    {
        var undilated = encoder.OutputStride == Encoder.UndilatedOutputStride;
        encoder.MakeDilated(options?.OutputStride ?? (undilated && encoder.CanDilate ? DefaultOutputStride : encoder.OutputStride));
        return encoder;
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
