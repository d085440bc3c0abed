namespace MedSeg.Tests.Torch.Encoders;

/// <summary>One encoder per module family (the other variants differ in depth and width only), as test data.</summary>
public static class EncoderFamilies
{
    /// <summary>ResNet, SE-ResNeXt, EfficientNet, ConvNeXt and Swin: one per classification-head type.</summary>
    public static TheoryData<string> OnePerHead() => new("resnet18", "se_resnext50_32x4d", "efficientnet-b0", "convnext_tiny", "swin_t");
}
