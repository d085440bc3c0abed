using MedSeg.Core;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Models;

/// <summary>
/// The contract every network of <see cref="ModelFactory"/> keeps, over every 2D architecture × every registered
/// encoder and every 3D network (the matrix grows with the registries): output shapes for 1, 3 and 5 input channels
/// at an odd but valid size, a clear error for sizes the model cannot take, a gradient for every parameter,
/// identical outputs after a save/load round trip, and smp's parameter counts and key names.
/// Heavy encoders are only built once, for the shape check (batch 1, small inputs keep the class fast).
/// </summary>
public sealed class ModelContractTests
{
    private const int Classes = 2;

    /// <summary>
    /// The encoders that train a step under every decoder: a CNN with a stride-2 feature, and one without it whose
    /// zero-channel skip the decoders must pass over. Heavy encoders are built for the shape check alone, to keep the
    /// class fast.
    /// </summary>
    private static readonly string[] GradientEncoders = ["resnet18", "convnext_tiny"];

    /// <summary>Further encoder families that train a step under U-Net.</summary>
    private static readonly string[] UnetGradientEncoders = ["efficientnet-b0", "swin_t"];

    /// <summary>Every 2D architecture × every registered encoder, with in_channels cycling through 1, 3, 5 so each encoder and each architecture sees all three.</summary>
    public static TheoryData<string, string, int> EveryPair()
    {
        var data = new TheoryData<string, string, int>();
        var archs = ModelFactory.TwoDimensional;
        var encoders = EncoderRegistry.Names;
        for (var a = 0; a < archs.Count; a++)
        {
            for (var e = 0; e < encoders.Count; e++)
            {
                data.Add(archs[a], encoders[e], new[] { 1, 3, 5 }[(a + e) % 3]);
            }
        }
        return data;
    }

    /// <summary>Every 2D architecture with <see cref="GradientEncoders"/>, and U-Net with <see cref="UnetGradientEncoders"/> (those registered).</summary>
    public static TheoryData<string, string> TrainablePairs()
    {
        var registered = EncoderRegistry.Names;
        var pairs = ModelFactory.TwoDimensional.SelectMany(arch => GradientEncoders.Where(registered.Contains).Select(encoder => (arch, encoder)))
            .Concat(UnetGradientEncoders.Where(registered.Contains).Select(encoder => ("unet", encoder)));
        var data = new TheoryData<string, string>();
        foreach (var (arch, encoder) in pairs)
        {
            data.Add(arch, encoder);
        }
        return data;
    }

    public static TheoryData<string> VolumetricArchs() => [.. ModelFactory.ThreeDimensional];

    public static TheoryData<string> EncoderFreeTwoDimensionalArchs() => [.. ModelFactory.EncoderFreeTwoDimensional];

    /// <summary>Small 3D widths for the checks that train (the shape check uses the reference defaults).</summary>
    private static readonly ModelOptions SmallVolumetric = new() { Features = 8, Classification = true };

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void TwoDimensionalOutputHasInputSizeAndOneMapPerClass(string arch, string encoder, int inChannels)
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create(arch, encoder, inChannels, Classes, new ModelOptions { Classification = true });
        model.eval();
        using var noGrad = no_grad();
        var (mask, classLogits) = model.ForwardWithClassification(randn(1, inChannels, 64, 96));
        Assert.Equal(new long[] { 1, Classes, 64, 96 }, mask.shape);
        Assert.Equal(new long[] { 1, Classes }, classLogits.shape);
        Assert.True(mask.isfinite().all().item<bool>() && classLogits.isfinite().all().item<bool>());
        // DeepLabV3+ dilates every encoder that can be dilated to output stride 16, as smp does by default.
        var dilated = arch == "deeplabv3plus" && EncoderRegistry.Dilatable.Contains(encoder);
        Assert.Equal(dilated ? 16 : 32, model.SizeMultiple);

        var error = Assert.Throws<MedSegException>(() => model.call(zeros(new long[] { 1, inChannels, 100, 266 })));
        Assert.Contains(dilated ? "96x272" : "96x256", error.Message);
    }

    [Theory]
    [MemberData(nameof(VolumetricArchs))]
    public void VolumetricOutputHasInputSizeAndOneMapPerClass(string arch)
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, Classes, new ModelOptions { Classification = true });
        model.eval();
        using var noGrad = no_grad();
        var (mask, classLogits) = model.ForwardWithClassification(randn(new long[] { 1, 1, 32, 32, 32 }));
        Assert.Equal(new long[] { 1, Classes, 32, 32, 32 }, mask.shape);
        Assert.Equal(new long[] { 1, Classes }, classLogits.shape);
        Assert.True(mask.isfinite().all().item<bool>() && classLogits.isfinite().all().item<bool>());

        var multiple = model.SizeMultiple;
        var error = Assert.Throws<MedSegException>(() => model.call(zeros(new long[] { 1, 1, 32, 32, 32 + multiple / 2 + 1 })));
        Assert.Contains($"32x32x{32 + multiple}", error.Message);
    }

    [Theory]
    [MemberData(nameof(VolumetricArchs))]
    public void VolumetricNetworksTakeAnyChannelCountAndOddValidSizes(string arch)
    {
        using var scope = NewDisposeScope();
        foreach (var inChannels in new[] { 3, 5 })
        {
            using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, inChannels, Classes, SmallVolumetric);
            model.eval();
            using var noGrad = no_grad();
            var size = new long[] { 1, inChannels, model.SizeMultiple, 2 * model.SizeMultiple, 3 * model.SizeMultiple };
            long[] expected = [1, Classes, .. size[2..]];
            Assert.Equal(expected, model.call(randn(size)).shape);
        }
    }

    [Theory]
    [MemberData(nameof(EncoderFreeTwoDimensionalArchs))]
    public void EncoderFreeTwoDimensionalOutputHasInputSizeForSlicesAndStacks(string arch)
    {
        using var scope = NewDisposeScope();
        foreach (var inChannels in new[] { 1, 3, 5 })
        {
            using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, inChannels, Classes, new ModelOptions { Classification = true });
            model.eval();
            using var noGrad = no_grad();
            var size = new long[] { 1, inChannels, 5 * model.SizeMultiple, 7 * model.SizeMultiple };
            var (mask, classLogits) = model.ForwardWithClassification(randn(size));
            Assert.Equal(new long[] { 1, Classes, size[2], size[3] }, mask.shape);
            Assert.Equal(new long[] { 1, Classes }, classLogits.shape);
            Assert.True(mask.isfinite().all().item<bool>() && classLogits.isfinite().all().item<bool>());
            var error = Assert.Throws<MedSegException>(() => model.call(zeros(new long[] { 1, inChannels, size[2] + 1, size[3] })));
            Assert.Contains("--image-size", error.Message);
        }
    }

    [Theory]
    [MemberData(nameof(EncoderFreeTwoDimensionalArchs))]
    public void EncoderFreeTwoDimensionalBackwardGivesEveryParameterAGradient(string arch)
    {
        using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, 3, Classes, new ModelOptions { Classification = true });
        AssertEveryParameterGetsAGradient(model, [2, 3, 32, 32]);
    }

    [Theory]
    [MemberData(nameof(EncoderFreeTwoDimensionalArchs))]
    public void EncoderFreeTwoDimensionalSaveLoadRoundTripGivesIdenticalOutputs(string arch) =>
        AssertRoundTrip(seed => { manual_seed(seed); return ModelFactory.Create(arch, ModelFactory.NoEncoder, 3, Classes, new ModelOptions { Classification = true }); },
            [1, 3, 32, 48], "model.safetensors");

    [Theory]
    [MemberData(nameof(TrainablePairs))]
    public void TwoDimensionalBackwardGivesEveryParameterAGradient(string arch, string encoder)
    {
        using var model = ModelFactory.Create(arch, encoder, 3, Classes, new ModelOptions { Classification = true });
        AssertEveryParameterGetsAGradient(model, [2, 3, 64, 64]);
    }

    [Theory]
    [MemberData(nameof(VolumetricArchs))]
    public void VolumetricBackwardGivesEveryParameterAGradient(string arch)
    {
        using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, Classes, SmallVolumetric);
        AssertEveryParameterGetsAGradient(model, [1, 1, 32, 32, 32]);
    }

    private static void AssertEveryParameterGetsAGradient(SegmentationModel model, long[] inputShape)
    {
        using var scope = NewDisposeScope();
        model.train();
        var (mask, classLogits) = model.ForwardWithClassification(randn(inputShape));
        mask.square().mean().add(classLogits.square().mean()).backward();
        var missing = model.named_parameters().Where(p => p.parameter.grad is null).Select(p => p.name).ToArray();
        Assert.Empty(missing);
        Assert.All(model.parameters(), p => Assert.True(p.grad!.isfinite().all().item<bool>()));
    }

    /// <summary>Every 2D architecture through safetensors; U-Net also through a PyTorch state dict (PyBridge's pickler is slow on big models).</summary>
    public static TheoryData<string, string> TwoDimensionalRoundTrips()
    {
        var data = new TheoryData<string, string>();
        foreach (var arch in ModelFactory.TwoDimensional)
        {
            data.Add(arch, "model.safetensors");
        }
        data.Add("unet", "model.pt");
        return data;
    }

    public static TheoryData<string, string> VolumetricRoundTrips()
    {
        var data = new TheoryData<string, string>();
        foreach (var arch in ModelFactory.ThreeDimensional)
        {
            data.Add(arch, "model.safetensors");
            data.Add(arch, "model.pt");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TwoDimensionalRoundTrips))]
    public void TwoDimensionalSaveLoadRoundTripGivesIdenticalOutputs(string arch, string file) =>
        AssertRoundTrip(seed => { manual_seed(seed); return ModelFactory.Create(arch, GradientEncoders[0], 3, Classes, new ModelOptions { Classification = true }); },
            [1, 3, 64, 64], file);

    [Theory]
    [MemberData(nameof(VolumetricRoundTrips))]
    public void VolumetricSaveLoadRoundTripGivesIdenticalOutputs(string arch, string file) =>
        AssertRoundTrip(seed => { manual_seed(seed); return ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, Classes, SmallVolumetric); },
            [1, 1, 32, 32, 32], file);

    /// <summary>Trains a step (so BatchNorm statistics move), saves to <paramref name="file"/> and loads it into a differently seeded model.</summary>
    private static void AssertRoundTrip(Func<int, SegmentationModel> create, long[] inputShape, string file)
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        using var source = create(1);
        source.train();
        source.call(randn([2, .. inputShape[1..]])).sum().backward();
        source.eval();
        var x = randn(inputShape);
        var path = folder.Combine(file);
        if (file.EndsWith(".pt", StringComparison.Ordinal))
        {
            ModelWeights.ExportPyTorch(source, path);
        }
        else
        {
            ModelWeights.SaveSafetensors(source, path);
        }
        using var target = create(2);
        target.eval();
        ModelWeights.Load(target, path, allowPickle: true);

        using var noGrad = no_grad();
        var expected = source.ForwardWithClassification(x);
        var actual = target.ForwardWithClassification(x);
        Assert.True(actual.Mask.isfinite().all().item<bool>());
        Assert.True(actual.Mask.allclose(expected.Mask, rtol: 0, atol: 1e-6), "masks differ after loading");
        Assert.True(actual.ClassLogits.allclose(expected.ClassLogits, rtol: 0, atol: 1e-6), "class logits differ after loading");
    }

    public static TheoryData<string> EveryArch() => [.. ModelFactory.Architectures.Keys];

    [Theory]
    [MemberData(nameof(EveryArch))]
    public void BFloat16AutocastStaysCloseToFloat32(string arch)
    {
        using var scope = NewDisposeScope();
        var volumetric = ModelFactory.IsVolumetric(arch);
        using var model = volumetric
            ? ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, Classes, SmallVolumetric)
            : ModelFactory.Create(arch, ModelFactory.HasOwnEncoder(arch) ? ModelFactory.NoEncoder : GradientEncoders[0], 3, Classes);
        model.eval();
        var x = volumetric ? randn(new long[] { 1, 1, 32, 32, 32 }) : randn(1, 3, 64, 64);
        using var noGrad = no_grad();
        var reference = model.call(x);
        Tensor mixed;
        using (Autocast.BFloat16())
        {
            mixed = model.call(x);
        }
        Assert.Equal(ScalarType.Float32, mixed.dtype);
        // bf16 keeps 8 mantissa bits, so a deep network drifts by a few per cent; a layout mistake (channels-last
        // strides read as NCHW) would give an unrelated output, 100 % off.
        var relative = (mixed - reference).norm().item<float>() / reference.norm().item<float>();
        Assert.True(relative < 0.2, $"bf16 output differs from fp32 by {relative:P1}");
    }

    [Theory]
    [InlineData(3, 1, 24_436_369L)] // smp.Unet("resnet34", in_channels=3, classes=1)
    [InlineData(1, 3, 24_430_387L)]
    [InlineData(5, 3, 24_442_931L)]
    public void UnetResNet34ParameterCountEqualsSmp(int inChannels, int classes, long expected)
    {
        using var model = ModelFactory.Create("unet", "resnet34", inChannels, classes);
        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void UnetStateDictKeysFollowSmpAndTorchvision()
    {
        using var model = new Unet("resnet34", 3, 1);
        var state = model.state_dict();
        AssertHasKeys(state.Keys,
            "encoder.conv1.weight", "encoder.bn1.running_mean", "encoder.bn1.num_batches_tracked",
            "encoder.layer1.0.conv1.weight", "encoder.layer2.0.downsample.0.weight", "encoder.layer2.0.downsample.1.running_var",
            "encoder.layer4.2.bn2.bias", "decoder.blocks.0.conv1.0.weight", "decoder.blocks.0.conv1.1.weight",
            "decoder.blocks.4.conv2.1.running_mean", "segmentation_head.0.weight", "segmentation_head.0.bias");
        Assert.DoesNotContain(state.Keys, k => k.StartsWith("encoder.fc", StringComparison.Ordinal) || k.StartsWith("classification_head", StringComparison.Ordinal));
        // The first decoder block fuses the 512-channel bottleneck with the 256-channel stride-16 feature.
        Assert.Equal(new long[] { 256, 768, 3, 3 }, state["decoder.blocks.0.conv1.0.weight"].shape);
    }

    [Theory]
    [InlineData("unetplusplus", "decoder.blocks.x_0_0.conv1.0.weight", new long[] { 256, 512 + 256, 3, 3 })]
    [InlineData("unetplusplus", "decoder.blocks.x_1_1.conv1.0.weight", new long[] { 128, 256 + 128, 3, 3 })]
    [InlineData("unetplusplus", "decoder.blocks.x_0_4.conv2.1.running_var", new long[] { 16 })]
    [InlineData("unetplusplus", "segmentation_head.0.weight", new long[] { 1, 16, 3, 3 })]
    [InlineData("fpn", "decoder.p5.weight", new long[] { 256, 512, 1, 1 })]
    [InlineData("fpn", "decoder.p2.skip_conv.weight", new long[] { 256, 64, 1, 1 })]
    [InlineData("fpn", "decoder.seg_blocks.0.block.2.block.1.weight", new long[] { 128 })]
    [InlineData("fpn", "segmentation_head.0.weight", new long[] { 1, 128, 1, 1 })]
    [InlineData("deeplabv3plus", "decoder.aspp.0.convs.0.0.weight", new long[] { 256, 512, 1, 1 })]
    [InlineData("deeplabv3plus", "decoder.aspp.0.convs.1.0.0.weight", new long[] { 512, 1, 3, 3 })]
    [InlineData("deeplabv3plus", "decoder.aspp.0.convs.3.0.1.weight", new long[] { 256, 512, 1, 1 })]
    [InlineData("deeplabv3plus", "decoder.aspp.0.convs.4.1.weight", new long[] { 256, 512, 1, 1 })]
    [InlineData("deeplabv3plus", "decoder.aspp.0.project.0.weight", new long[] { 256, 1280, 1, 1 })]
    [InlineData("deeplabv3plus", "decoder.aspp.1.0.weight", new long[] { 256, 1, 3, 3 })]
    [InlineData("deeplabv3plus", "decoder.block1.0.weight", new long[] { 48, 64, 1, 1 })]
    [InlineData("deeplabv3plus", "decoder.block2.0.1.weight", new long[] { 256, 304, 1, 1 })]
    [InlineData("upernet", "decoder.feature_norms.3.weight", new long[] { 512 })]
    [InlineData("upernet", "decoder.psp.blocks.3.1.0.weight", new long[] { 256, 512, 1, 1 })]
    [InlineData("upernet", "decoder.psp.out_conv.0.weight", new long[] { 256, 512 + 4 * 256, 3, 3 })]
    [InlineData("upernet", "decoder.fpn_lateral_blocks.2.conv_norm_relu.0.weight", new long[] { 256, 64, 1, 1 })]
    [InlineData("upernet", "decoder.fpn_conv_blocks.0.1.running_mean", new long[] { 256 })]
    [InlineData("upernet", "decoder.fusion_block.0.weight", new long[] { 256, 1024, 3, 3 })]
    [InlineData("upernet", "segmentation_head.0.weight", new long[] { 1, 256, 1, 1 })]
    public void DecoderKeysAndShapesFollowSmp(string arch, string key, long[] shape)
    {
        using var model = ModelFactory.Create(arch, "resnet34", 3, 1);
        var state = model.state_dict();
        Assert.True(state.ContainsKey(key), $"{arch} has no '{key}'");
        Assert.Equal(shape, state[key].shape);
    }

    [Theory]
    [InlineData("unet3d", "encoders.0.basic_module.SingleConv1.groupnorm.weight", new long[] { 1 })]
    [InlineData("unet3d", "encoders.0.basic_module.SingleConv1.conv.weight", new long[] { 32, 1, 3, 3, 3 })]
    [InlineData("unet3d", "encoders.3.basic_module.SingleConv2.conv.weight", new long[] { 512, 256, 3, 3, 3 })]
    [InlineData("unet3d", "decoders.0.basic_module.SingleConv1.conv.weight", new long[] { 256, 768, 3, 3, 3 })]
    [InlineData("unet3d", "final_conv.bias", new long[] { 1 })]
    [InlineData("residualunet3d", "encoders.0.basic_module.conv1.weight", new long[] { 64, 1, 1, 1, 1 })]
    [InlineData("residualunet3d", "encoders.4.basic_module.conv3.groupnorm.bias", new long[] { 1024 })]
    [InlineData("residualunet3d", "decoders.0.upsampling.upsample.conv_transposed.weight", new long[] { 1024, 512, 3, 3, 3 })]
    [InlineData("residualunet3d", "decoders.3.basic_module.conv2.conv.weight", new long[] { 64, 64, 3, 3, 3 })]
    [InlineData("segresnet", "convInit.conv.weight", new long[] { 8, 1, 3, 3, 3 })]
    [InlineData("segresnet", "down_layers.1.0.conv.weight", new long[] { 16, 8, 3, 3, 3 })]
    [InlineData("segresnet", "down_layers.3.4.conv2.conv.weight", new long[] { 64, 64, 3, 3, 3 })]
    [InlineData("segresnet", "up_samples.0.0.conv.weight", new long[] { 32, 64, 1, 1, 1 })]
    [InlineData("segresnet", "up_layers.2.0.norm1.weight", new long[] { 8 })]
    [InlineData("segresnet", "conv_final.2.conv.bias", new long[] { 1 })]
    public void VolumetricKeysAndShapesFollowTheReference(string arch, string key, long[] shape)
    {
        using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, 1);
        var state = model.state_dict();
        Assert.True(state.ContainsKey(key), $"{arch} has no '{key}'");
        Assert.Equal(shape, state[key].shape);
    }

    [Fact]
    public void ClassificationHeadHasSmpKeysAndIsOptional()
    {
        using var scope = NewDisposeScope();
        using var plain = ModelFactory.Create("unet", "resnet18", 1, 3);
        Assert.False(plain.HasClassificationHead);
        Assert.Throws<MedSegException>(() => plain.ForwardWithClassification(zeros(1, 1, 64, 64)));
        using var gated = ModelFactory.Create("unet", "resnet18", 1, 3, new ModelOptions { Classification = true });
        Assert.Equal(new long[] { 3, 512 }, gated.state_dict()["classification_head.3.weight"].shape);
        Assert.Equal(plain.parameters().Sum(p => p.numel()) + 512 * 3 + 3, gated.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void FactoryErrorsListTheValidNames()
    {
        var arch = Assert.Throws<MedSegException>(() => ModelFactory.Create("segformer", "resnet34", 1, 1));
        Assert.All(ModelFactory.Architectures.Keys, name => Assert.Contains(name, arch.Message));
        var encoder = Assert.Throws<MedSegException>(() => ModelFactory.Create("fpn", "resnet99", 1, 1));
        Assert.All(EncoderRegistry.Names, name => Assert.Contains(name, encoder.Message));
        var volumetric = Assert.Throws<MedSegException>(() => ModelFactory.Check("segresnet", "resnet34"));
        Assert.Contains("--encoder none", volumetric.Message);
        ModelFactory.Check("segresnet", "");
        ModelFactory.Check("unet3d", ModelFactory.NoEncoder);
        var widths = Assert.Throws<MedSegException>(() => ModelFactory.Create("unet", "resnet18", 1, 1, new ModelOptions { DecoderChannels = [64, 32] }));
        Assert.Contains("5 positive decoder widths", widths.Message);
    }

    [Fact]
    public void WrongInputLayoutIsAClearError()
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create("unet", "resnet18", 3, 1);
        Assert.Contains("built for 3 input channels", Assert.Throws<MedSegException>(() => model.call(zeros(1, 1, 64, 64))).Message);
        Assert.Contains("N×C×H×W", Assert.Throws<MedSegException>(() => model.call(zeros(new long[] { 1, 3, 8, 64, 64 }))).Message);
    }

    [Fact]
    public void VolumetricWidthsAndDepthAreConfigurable()
    {
        using var unet = ModelFactory.Create("unet3d", "none", 1, 1, new ModelOptions { Features = 16, Levels = 3 });
        Assert.Equal(4, unet.SizeMultiple);
        Assert.Equal(new long[] { 64, 32, 3, 3, 3 }, unet.state_dict()["encoders.2.basic_module.SingleConv2.conv.weight"].shape);
        using var segResNet = ModelFactory.Create("segresnet", "none", 1, 1, new ModelOptions { Features = 16, Levels = 5 });
        Assert.Equal(16, segResNet.SizeMultiple);
        Assert.Equal(new long[] { 256, 128, 3, 3, 3 }, segResNet.state_dict()["down_layers.4.0.conv.weight"].shape);
    }

    private static void AssertHasKeys(IEnumerable<string> keys, params string[] expected)
    {
        var set = keys.ToHashSet();
        Assert.All(expected, key => Assert.Contains(key, set));
    }
}
