using MedSeg.Core;
using MedSeg.Torch.Models.Encoders;

namespace MedSeg.Torch.Models;

/// <summary>Encoders by name (smp / timm / torchvision names), as data: a name maps to a constructor.</summary>
public static class EncoderRegistry
{
    private static readonly Dictionary<string, Func<int, Encoder>> Constructors = new()
    {
        ["resnet18"] = inChannels => new ResNetEncoder("resnet18", inChannels),
        ["resnet34"] = inChannels => new ResNetEncoder("resnet34", inChannels),
        ["resnet50"] = inChannels => new ResNetEncoder("resnet50", inChannels),
        ["resnet101"] = inChannels => new ResNetEncoder("resnet101", inChannels),
        ["resnext50_32x4d"] = inChannels => new ResNetEncoder("resnext50_32x4d", inChannels),
        ["se_resnext50_32x4d"] = inChannels => new SeResNeXtEncoder("se_resnext50_32x4d", inChannels),
        ["efficientnet-b0"] = inChannels => new EfficientNetEncoder("efficientnet-b0", inChannels),
        ["efficientnet-b1"] = inChannels => new EfficientNetEncoder("efficientnet-b1", inChannels),
        ["efficientnet-b2"] = inChannels => new EfficientNetEncoder("efficientnet-b2", inChannels),
        ["efficientnet-b3"] = inChannels => new EfficientNetEncoder("efficientnet-b3", inChannels),
        ["efficientnet-b4"] = inChannels => new EfficientNetEncoder("efficientnet-b4", inChannels),
        ["efficientnet-b5"] = inChannels => new EfficientNetEncoder("efficientnet-b5", inChannels),
        ["efficientnet-b6"] = inChannels => new EfficientNetEncoder("efficientnet-b6", inChannels),
        ["efficientnet-b7"] = inChannels => new EfficientNetEncoder("efficientnet-b7", inChannels),
        ["convnext_tiny"] = inChannels => new ConvNeXtEncoder("convnext_tiny", inChannels),
        ["convnext_small"] = inChannels => new ConvNeXtEncoder("convnext_small", inChannels),
        ["convnext_base"] = inChannels => new ConvNeXtEncoder("convnext_base", inChannels),
        ["swin_t"] = inChannels => new SwinEncoder("swin_t", inChannels),
    };

    /// <summary>
    /// Encoders whose <see cref="Encoder.CanDilate"/> is false: Swin downsamples by patch merging and attends within
    /// windows of a fixed grid, so it has no strided convolution to trade for dilation.
    /// </summary>
    private static readonly HashSet<string> FixedOutputStride = ["swin_t"];

    /// <summary>Every encoder name, in registration order.</summary>
    public static IReadOnlyList<string> Names => [.. Constructors.Keys];

    /// <summary>The encoders that run at output stride 16 or 8 (<see cref="Encoder.MakeDilated"/>), in registration order.</summary>
    public static IReadOnlyList<string> Dilatable => [.. Constructors.Keys.Where(name => !FixedOutputStride.Contains(name))];

    /// <summary>
    /// A new encoder taking <paramref name="inChannels"/> input channels, dilated to <paramref name="outputStride"/>
    /// (32 as built; 16 or 8 for the encoders in <see cref="Dilatable"/>).
    /// </summary>
    public static Encoder Create(string name, int inChannels, int outputStride = Encoder.UndilatedOutputStride)
    {
        if (!Constructors.TryGetValue(name, out var create))
        {
            throw new MedSegException($"--encoder {name} is unknown; valid: {string.Join(", ", Constructors.Keys)}.");
        }
        var encoder = create(inChannels);
        try
        {
            encoder.MakeDilated(outputStride);
            return encoder;
        }
        catch (MedSegException)
        {
            encoder.Dispose();
            throw;
        }
    }
}
