using MedSeg.Core;
using MedSeg.Torch.Models.Decoders;

namespace MedSeg.Torch.Models;

/// <summary>
/// smp's <c>Unet</c>: an encoder, the U-Net decoder (blocks of 256, 128, 64, 32, 16 channels by default) and a 3×3
/// segmentation head at input size. Keys <c>encoder.*</c>, <c>decoder.blocks.N.*</c>, <c>segmentation_head.0.*</c>.
/// </summary>
public sealed class Unet : EncoderDecoderModel
{
    /// <summary>
    /// Output stride of every encoder as built, which U-Net keeps: a multiple of it is a valid 2D input size for every
    /// architecture and encoder (DeepLabV3+ at output stride 16 or 8 also takes multiples of those).
    /// </summary>
    public const int OutputStride = Encoder.UndilatedOutputStride;

    /// <summary>smp's default decoder widths, deepest first.</summary>
    public static readonly IReadOnlyList<int> DefaultDecoderChannels = [256, 128, 64, 32, 16];

    public Unet(string encoderName, int inChannels, int classes, ModelOptions? options = null)
        : this(EncoderRegistry.Create(encoderName, inChannels), classes, options)
    {
    }

    public Unet(Encoder encoder, int classes, ModelOptions? options = null)
        : this(encoder, classes, options ?? ModelOptions.Default, BlockChannels(encoder, options, "unet"))
    {
    }

    private Unet(Encoder encoder, int classes, ModelOptions options, IReadOnlyList<int> channels)
        : base(nameof(Unet), encoder, new UnetDecoder(encoder.OutChannels, channels), channels[^1], classes, headKernel: 3, upsampling: 1, options)
    {
    }

    /// <summary>The multiple of <see cref="OutputStride"/> nearest to <paramref name="size"/> (at least one stride).</summary>
    public static long NearestValid(long size) => NearestMultiple(size, OutputStride);

    /// <summary>The U-Net / U-Net++ block widths: one per encoder stage, deepest first.</summary>
    internal static IReadOnlyList<int> BlockChannels(Encoder encoder, ModelOptions? options, string arch)
    {
        var channels = options?.DecoderChannels ?? DefaultDecoderChannels;
        var stages = encoder.OutChannels.Count - 1;
        if (channels.Count != stages || channels.Any(c => c < 1))
        {
            throw new MedSegException(
                $"{arch} needs {stages} positive decoder widths (one per encoder stage, deepest first, e.g. {string.Join(",", DefaultDecoderChannels)}); got {string.Join(",", channels)}.");
        }
        return channels;
    }
}
