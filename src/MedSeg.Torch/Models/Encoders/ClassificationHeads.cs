using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// The reference classifier head of each encoder family, applied to the deepest feature: torchvision's
/// <c>fc</c> (ResNet/ResNeXt), pretrainedmodels' <c>last_linear</c> (SE-ResNeXt), <c>features.8</c> + <c>classifier.1</c>
/// (EfficientNet), <c>classifier.0</c> LayerNorm2d + <c>classifier.2</c> (ConvNeXt), <c>norm</c> + <c>head</c> (Swin).
/// Global average pooling replaces fixed-size pools, so any valid input size works.
/// </summary>
public static class ClassificationHeads
{
    /// <summary>A head for <paramref name="encoder"/> with <paramref name="classes"/> logits; its children carry the reference key names.</summary>
    /// <remarks>An EfficientNet head appends torchvision's last convolution to the encoder as <c>features.8</c>.</remarks>
    public static Module<Tensor, Tensor> Create(Encoder encoder, int classes)
    {
        var channels = encoder.OutChannels[^1];
        return encoder switch
        {
            ResNetEncoder => new PooledLinearHead("fc", channels, classes),
            SeResNeXtEncoder => new PooledLinearHead("last_linear", channels, classes),
            EfficientNetEncoder efficientNet => new EfficientNetHead(efficientNet, classes),
            ConvNeXtEncoder => new ConvNeXtHead(channels, classes),
            SwinEncoder => new SwinHead(channels, classes),
            _ => throw new MedSegException(
                $"no classification head for encoder '{encoder.GetName()}'; valid: ResNet, SE-ResNeXt, EfficientNet, ConvNeXt and Swin encoders."),
        };
    }
}
