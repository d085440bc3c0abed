using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models;

/// <summary>
/// smp's <c>Unet</c>: a ResNet encoder, the U-Net decoder and a 3×3 segmentation head. Input N×C×H×W with H and W
/// divisible by 32; output N×classes×H×W logits. State-dict keys match smp (<c>encoder.*</c>, <c>decoder.blocks.*</c>,
/// <c>segmentation_head.0.*</c>).
/// </summary>
public sealed class Unet : Module<Tensor, Tensor>
{
    /// <summary>The encoder's output stride: input sizes must be multiples of it.</summary>
    public const int OutputStride = 32;

    private readonly Encoder encoder;
    private readonly UnetDecoder decoder;
    private readonly Module<Tensor, Tensor> segmentation_head;

    public Unet(string encoderName, int inChannels, int classes, IReadOnlyList<int>? decoderChannels = null)
        : this(EncoderRegistry.Create(encoderName, inChannels), classes, decoderChannels)
    {
    }

    public Unet(Encoder encoder, int classes, IReadOnlyList<int>? decoderChannels = null)
        : base(nameof(Unet))
    {
        decoderChannels ??= [256, 128, 64, 32, 16];
        this.encoder = encoder;
        decoder = new UnetDecoder(encoder.OutChannels, decoderChannels);
        segmentation_head = Sequential(new Conv(decoderChannels[^1], classes, 3, padding: 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = x.shape[^2];
        var w = x.shape[^1];
        if (h % OutputStride != 0 || w % OutputStride != 0)
        {
            throw new MedSegException(
                $"input size {h}x{w} is not divisible by {OutputStride}; use {NearestValid(h)}x{NearestValid(w)} (--image-size).");
        }
        using var scope = NewDisposeScope();
        var features = encoder.call(Autocast.IsBFloat16 ? Autocast.ChannelsLast(x) : x);
        return segmentation_head.call(decoder.call(features)).MoveToOuterDisposeScope();
    }

    /// <summary>The multiple of <see cref="OutputStride"/> nearest to <paramref name="size"/> (at least one stride).</summary>
    public static long NearestValid(long size) => Math.Max(OutputStride, (long)Math.Round(size / (double)OutputStride) * OutputStride);
}
