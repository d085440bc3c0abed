using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Encoders;

/// <summary>
/// The encoder contract for every registered encoder: the feature pyramid, largest first — the input, then strides
/// 2, 4, 8, 16, 32 — with the channels <see cref="Encoder.OutChannels"/> promises, for 1, 3 and 5 input channels.
/// </summary>
public sealed class EncoderContractTests
{
    /// <summary>Feature channels for 3 input channels (the input slot varies with in_channels; 0 marks no stride-2 feature).</summary>
    public static TheoryData<string, int[]> FeatureChannels => new()
    {
        { "resnet18", [3, 64, 64, 128, 256, 512] },
        { "resnet34", [3, 64, 64, 128, 256, 512] },
        { "resnet50", [3, 64, 256, 512, 1024, 2048] },
        { "resnet101", [3, 64, 256, 512, 1024, 2048] },
        { "resnext50_32x4d", [3, 64, 256, 512, 1024, 2048] },
        { "se_resnext50_32x4d", [3, 64, 256, 512, 1024, 2048] },
        { "efficientnet-b0", [3, 32, 24, 40, 112, 320] },
        { "efficientnet-b1", [3, 32, 24, 40, 112, 320] },
        { "efficientnet-b2", [3, 32, 24, 48, 120, 352] },
        { "efficientnet-b3", [3, 40, 32, 48, 136, 384] },
        { "efficientnet-b4", [3, 48, 32, 56, 160, 448] },
        { "efficientnet-b5", [3, 48, 40, 64, 176, 512] },
        { "efficientnet-b6", [3, 56, 40, 72, 200, 576] },
        { "efficientnet-b7", [3, 64, 48, 80, 224, 640] },
        { "convnext_tiny", [3, 0, 96, 192, 384, 768] },
        { "convnext_small", [3, 0, 96, 192, 384, 768] },
        { "convnext_base", [3, 0, 128, 256, 512, 1024] },
        { "swin_t", [3, 0, 96, 192, 384, 768] },
    };

    /// <summary>The two largest, whose parameter counts and channels are checked but which run no forward pass here.</summary>
    private static readonly string[] CountOnly = ["efficientnet-b7", "convnext_base"];

    [Fact]
    public void RegistryHoldsEveryEncoderOfTheZoo()
    {
        var expected = FeatureChannels.Select(row => (string)row[0]).ToArray();
        Assert.Equal(expected, EncoderRegistry.Names);
    }

    [Theory]
    [MemberData(nameof(FeatureChannels))]
    public void FeaturesHaveTheReferenceChannelsAndStrides(string name, int[] expected)
    {
        if (CountOnly.Contains(name))
        {
            using var large = EncoderRegistry.Create(name, 3);
            Assert.Equal(expected, large.OutChannels);
            return;
        }
        foreach (var inChannels in new[] { 1, 3, 5 })
        {
            using var scope = NewDisposeScope();
            using var encoder = EncoderRegistry.Create(name, inChannels);
            Assert.Equal([inChannels, .. expected[1..]], encoder.OutChannels);
            Assert.Equal(32, encoder.OutputStride);
            encoder.eval();
            using var noGrad = no_grad();
            var features = encoder.call(randn(1, inChannels, 64, 64));
            AssertPyramid(encoder, features, 1, 64, 64);
        }
    }

    [Theory]
    [InlineData("swin_t", 96, 160)]
    [InlineData("convnext_tiny", 96, 160)]
    [InlineData("efficientnet-b0", 96, 160)]
    [InlineData("se_resnext50_32x4d", 96, 160)]
    public void AnyMultipleOf32Works(string name, int height, int width)
    {
        using var scope = NewDisposeScope();
        using var encoder = EncoderRegistry.Create(name, 1);
        encoder.eval();
        using var noGrad = no_grad();
        var features = encoder.call(randn(2, 1, height, width));
        AssertPyramid(encoder, features, 2, height, width);
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnext50_32x4d")]
    [InlineData("se_resnext50_32x4d")]
    [InlineData("efficientnet-b0")]
    [InlineData("convnext_tiny")]
    [InlineData("swin_t")]
    public void BackwardGivesEveryParameterAGradient(string name)
    {
        using var scope = NewDisposeScope();
        using var encoder = EncoderRegistry.Create(name, 5);
        encoder.train();
        var features = encoder.call(randn(2, 5, 32, 32));
        var loss = features.Skip(1).Select(f => f.mean()).Aggregate((a, b) => a + b);
        loss.backward();
        var missing = encoder.named_parameters().Where(p => p.parameter.grad is null).Select(p => p.name).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("efficientnet-b0")]
    [InlineData("convnext_tiny")]
    [InlineData("swin_t")]
    public void BFloat16ChannelsLastGivesFloat32FeaturesOfTheSameShapes(string name)
    {
        using var scope = NewDisposeScope();
        using var encoder = EncoderRegistry.Create(name, 3);
        encoder.eval();
        using var noGrad = no_grad();
        using var bf16 = Autocast.BFloat16();
        var features = encoder.call(Autocast.ChannelsLast(randn(1, 3, 64, 64)));
        AssertPyramid(encoder, features, 1, 64, 64);
        Assert.All(features, f => Assert.Equal(ScalarType.Float32, f.dtype));
        Assert.All(features, f => Assert.True(f.isfinite().all().item<bool>()));
    }

    private static void AssertPyramid(Encoder encoder, Tensor[] features, long batch, long height, long width)
    {
        Assert.Equal(6, features.Length);
        Assert.Equal(6, encoder.OutChannels.Count);
        for (var i = 0; i < features.Length; i++)
        {
            var stride = 1L << i;
            Assert.Equal([batch, encoder.OutChannels[i], height / stride, width / stride], features[i].shape);
        }
    }
}
