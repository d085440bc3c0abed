using MedSeg.Torch.Models.Encoders;

namespace MedSeg.Tests.Torch.Encoders;

/// <summary>
/// Each encoder with its reference head has exactly the parameters of the reference classifier (torchvision 0.14,
/// pretrainedmodels for SE-ResNeXt; 3 input channels, 1000 classes), which pins every layer's shape.
/// </summary>
public sealed class ClassifierParameterCountTests
{
    [Theory]
    [InlineData("resnet18", 11_689_512L)]
    [InlineData("resnet34", 21_797_672L)]
    [InlineData("resnet50", 25_557_032L)]
    [InlineData("resnet101", 44_549_160L)]
    [InlineData("resnext50_32x4d", 25_028_904L)]
    [InlineData("se_resnext50_32x4d", 27_559_896L)]
    [InlineData("efficientnet-b0", 5_288_548L)]
    [InlineData("efficientnet-b1", 7_794_184L)]
    [InlineData("efficientnet-b2", 9_109_994L)]
    [InlineData("efficientnet-b3", 12_233_232L)]
    [InlineData("efficientnet-b4", 19_341_616L)]
    [InlineData("efficientnet-b5", 30_389_784L)]
    [InlineData("efficientnet-b6", 43_040_704L)]
    [InlineData("efficientnet-b7", 66_347_960L)]
    [InlineData("convnext_tiny", 28_589_128L)]
    [InlineData("convnext_small", 50_223_688L)]
    [InlineData("convnext_base", 88_591_464L)]
    [InlineData("swin_t", 28_288_354L)]
    public void EqualsTheReferenceClassifier(string encoder, long expected)
    {
        using var model = new ImageClassifier(encoder);
        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
    }
}
