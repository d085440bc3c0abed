using MedSeg.Core;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Models;

/// <summary>
/// DeepLabV3+ at smp's default encoder output stride 16 (and 8): inputs need only be multiples of the output stride,
/// shapes for 1, 3 and 5 input channels, the same parameters and keys as at 32 (so weights interchange), gradients
/// everywhere, a save/load round trip, and clear errors where an output stride cannot be had.
/// </summary>
public sealed class DeepLabV3PlusOutputStrideTests
{
    private const int Classes = 2;

    public static TheoryData<int, int> StridesAndChannels => new() { { 16, 1 }, { 16, 3 }, { 16, 5 }, { 8, 1 }, { 8, 3 }, { 8, 5 } };

    [Theory]
    [MemberData(nameof(StridesAndChannels))]
    public void MultiplesOfTheOutputStrideGiveMasksOfTheInputSize(int outputStride, int inChannels)
    {
        using var scope = NewDisposeScope();
        // Output stride 16 is the default: leave it unset there.
        var options = new ModelOptions { Classification = true, OutputStride = outputStride == 16 ? null : outputStride };
        using var model = ModelFactory.Create("deeplabv3plus", "resnet18", inChannels, Classes, options);
        Assert.Equal(outputStride, model.SizeMultiple);
        Assert.Equal(outputStride, ((DeepLabV3Plus)model).Encoder.OutputStride);
        model.eval();
        using var noGrad = no_grad();
        // 5 and 7 strides: an odd number of deepest-feature pixels, which no stride-32 encoder could take.
        var (height, width) = (5 * outputStride, 7 * outputStride);
        var (mask, classLogits) = model.ForwardWithClassification(randn(2, inChannels, height, width));
        Assert.Equal(new long[] { 2, Classes, height, width }, mask.shape);
        Assert.Equal(new long[] { 2, Classes }, classLogits.shape);
        Assert.True(mask.isfinite().all().item<bool>());

        var error = Assert.Throws<MedSegException>(() => model.call(zeros(1, inChannels, height + outputStride / 2 + 1, width)));
        Assert.Contains($"use {height + outputStride}x{width}", error.Message);
    }

    [Theory]
    [InlineData("resnet18", 16)]
    [InlineData("efficientnet-b0", 8)]
    [InlineData("convnext_tiny", 16)]
    public void BackwardGivesEveryParameterAGradient(string encoder, int outputStride)
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create("deeplabv3plus", encoder, 3, Classes, new ModelOptions { Classification = true, OutputStride = outputStride });
        model.train();
        var (mask, classLogits) = model.ForwardWithClassification(randn(2, 3, 64, 64));
        mask.square().mean().add(classLogits.square().mean()).backward();
        Assert.Empty(model.named_parameters().Where(p => p.parameter.grad is null).Select(p => p.name));
        Assert.All(model.parameters(), p => Assert.True(p.grad!.isfinite().all().item<bool>()));
    }

    [Fact]
    public void WeightsRoundTripAndInterchangeWithOutputStride32()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        using var source = ModelFactory.Create("deeplabv3plus", "resnet18", 3, Classes);
        source.train();
        source.call(randn(2, 3, 48, 48)).sum().backward();
        source.eval();
        var path = folder.Combine("model.safetensors");
        ModelWeights.SaveSafetensors(source, path);
        using var target = ModelFactory.Create("deeplabv3plus", "resnet18", 3, Classes);
        using var undilated = ModelFactory.Create("deeplabv3plus", "resnet18", 3, Classes, new ModelOptions { OutputStride = 32 });
        ModelWeights.Load(target, path);
        ModelWeights.Load(undilated, path);
        target.eval();
        undilated.eval();

        using var noGrad = no_grad();
        var x = randn(1, 3, 64, 64);
        var expected = source.call(x);
        Assert.True(target.call(x).allclose(expected, rtol: 0, atol: 1e-6), "masks differ after loading");
        // The same weights at output stride 32 compute something else: the dilation is real.
        Assert.False(undilated.call(x).allclose(expected, rtol: 1e-2, atol: 1e-3), "output stride 32 gave the output-stride-16 mask");
    }

    [Fact]
    public void UnavailableOutputStridesAreClearErrors()
    {
        var swin = Assert.Throws<MedSegException>(() => ModelFactory.Create("deeplabv3plus", "swin_t", 1, 1, new ModelOptions { OutputStride = 16 }));
        Assert.Contains("swin_t cannot run at output stride 16", swin.Message);
        Assert.All(EncoderRegistry.Dilatable, name => Assert.Contains(name, swin.Message));
        Assert.DoesNotContain("swin_t", swin.Message[swin.Message.IndexOf("one of", StringComparison.Ordinal)..]);
        using (var swinDefault = ModelFactory.Create("deeplabv3plus", "swin_t", 1, 1))
        {
            Assert.Equal(32, swinDefault.SizeMultiple);
        }

        var unet = Assert.Throws<MedSegException>(() => ModelFactory.Create("unet", "resnet18", 1, 1, new ModelOptions { OutputStride = 16 }));
        Assert.Contains("unet takes output stride 32, not 16", unet.Message);
        using var dilated = EncoderRegistry.Create("resnet18", 1, 16);
        Assert.Contains("fpn takes output stride 32, not 16", Assert.Throws<MedSegException>(() => new Fpn(dilated, 1)).Message);
        var rate = Assert.Throws<MedSegException>(() => ModelFactory.Create("deeplabv3plus", "resnet18", 1, 1, new ModelOptions { OutputStride = 4 }));
        Assert.Contains("use 8, 16 or 32", rate.Message);
        var volumetric = Assert.Throws<MedSegException>(() => ModelFactory.Create("segresnet", ModelFactory.NoEncoder, 1, 1, new ModelOptions { OutputStride = 16 }));
        Assert.Contains("no decoder widths or output stride", volumetric.Message);
    }
}
