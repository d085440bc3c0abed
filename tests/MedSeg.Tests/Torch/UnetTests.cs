using MedSeg.Core;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch;

public sealed class UnetTests
{
    [Theory]
    [InlineData(3, 1, 24_436_369L)] // smp.Unet("resnet34", in_channels=3, classes=1)
    [InlineData(1, 3, 24_430_387L)]
    [InlineData(5, 3, 24_442_931L)]
    public void ParameterCountEqualsSmp(int inChannels, int classes, long expected)
    {
        using var model = new Unet("resnet34", inChannels, classes);
        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void OutputHasInputSizeAndOneChannelPerClass(int inChannels)
    {
        using var scope = NewDisposeScope();
        using var model = new Unet("resnet18", inChannels, 3);
        model.eval();
        using var noGrad = no_grad();
        var y = model.call(randn(2, inChannels, 64, 96));
        Assert.Equal(new long[] { 2, 3, 64, 96 }, y.shape);
    }

    [Fact]
    public void StateDictKeysFollowSmpAndTorchvision()
    {
        using var model = new Unet("resnet34", 3, 1);
        var keys = model.state_dict().Keys.ToHashSet();
        string[] expected =
        [
            "encoder.conv1.weight", "encoder.bn1.running_mean", "encoder.bn1.num_batches_tracked",
            "encoder.layer1.0.conv1.weight", "encoder.layer2.0.downsample.0.weight", "encoder.layer2.0.downsample.1.running_var",
            "encoder.layer4.2.bn2.bias", "decoder.blocks.0.conv1.0.weight", "decoder.blocks.0.conv1.1.weight",
            "decoder.blocks.4.conv2.1.running_mean", "segmentation_head.0.weight", "segmentation_head.0.bias",
        ];
        foreach (var key in expected)
        {
            Assert.Contains(key, keys);
        }
        Assert.DoesNotContain(keys, k => k.StartsWith("encoder.fc", StringComparison.Ordinal));
        // First decoder block fuses the 512-channel bottleneck with the 256-channel stride-16 feature.
        Assert.Equal(new long[] { 256, 768, 3, 3 }, model.state_dict()["decoder.blocks.0.conv1.0.weight"].shape);
    }

    [Fact]
    public void SizeNotDivisibleBy32NamesTheNearestValidSize()
    {
        using var scope = NewDisposeScope();
        using var model = new Unet("resnet18", 1, 1);
        var error = Assert.Throws<MedSegException>(() => model.call(zeros(1, 1, 100, 266)));
        Assert.Contains("96x256", error.Message);
    }

    [Fact]
    public void UnknownEncoderListsTheValidNames()
    {
        var error = Assert.Throws<MedSegException>(() => ModelFactory.Create("unet", "resnet99", 1, 1));
        Assert.Contains("resnet34", error.Message);
    }
}
