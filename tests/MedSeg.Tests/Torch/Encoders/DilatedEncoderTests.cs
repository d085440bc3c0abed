using MedSeg.Core;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Encoders;

/// <summary>
/// <see cref="Encoder.MakeDilated"/> (smp's <c>make_dilated</c>): at output stride 16 the deepest feature stays at
/// H/16, at 8 the two deepest stay at H/8, the other features keep their strides, parameters and state-dict keys do
/// not change, and the convolutions get the hand-computed stride, dilation and padding.
/// </summary>
public sealed class DilatedEncoderTests
{
    /// <summary>The two largest, which are dilated and compared by keys only (no forward pass), as in <see cref="EncoderContractTests"/>.</summary>
    private static readonly string[] CountOnly = ["efficientnet-b7", "convnext_base"];

    public static TheoryData<string> EveryEncoder() => [.. EncoderRegistry.Names];

    public static TheoryData<string, int, int> DilatableWithStrides()
    {
        var data = new TheoryData<string, int, int>();
        var names = EncoderRegistry.Dilatable.Except(CountOnly).ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            data.Add(names[i], 16, new[] { 1, 3, 5 }[i % 3]);
            data.Add(names[i], 8, new[] { 1, 3, 5 }[(i + 1) % 3]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryEncoder))]
    public void DilationKeepsEveryParameterAndKeyOrIsRefusedClearly(string name)
    {
        using var encoder = EncoderRegistry.Create(name, 3);
        Assert.Equal(EncoderRegistry.Dilatable.Contains(name), encoder.CanDilate);
        var before = encoder.state_dict().Select(p => (p.Key, string.Join("x", p.Value.shape))).ToArray();
        if (!encoder.CanDilate)
        {
            var error = Assert.Throws<MedSegException>(() => encoder.MakeDilated(16));
            Assert.Contains($"{name} cannot run at output stride 16", error.Message);
            Assert.All(EncoderRegistry.Dilatable, valid => Assert.Contains(valid, error.Message));
            Assert.Equal(32, encoder.OutputStride);
            return;
        }
        encoder.MakeDilated(16);
        Assert.Equal(16, encoder.OutputStride);
        Assert.Equal(before, encoder.state_dict().Select(p => (p.Key, string.Join("x", p.Value.shape))).ToArray());
    }

    [Theory]
    [MemberData(nameof(DilatableWithStrides))]
    public void DeepestFeaturesStayAtTheOutputStride(string name, int outputStride, int inChannels)
    {
        using var scope = NewDisposeScope();
        using var encoder = EncoderRegistry.Create(name, inChannels, outputStride);
        Assert.Equal(outputStride, encoder.OutputStride);
        encoder.eval();
        using var noGrad = no_grad();
        var features = encoder.call(randn(2, inChannels, 64, 96));
        for (var i = 0; i < features.Length; i++)
        {
            var stride = Math.Min(1L << i, outputStride);
            Assert.Equal([2, encoder.OutChannels[i], 64 / stride, 96 / stride], features[i].shape);
        }
        Assert.True(features[^1].isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData("resnet18", 16)]
    [InlineData("se_resnext50_32x4d", 16)]
    [InlineData("efficientnet-b0", 8)]
    [InlineData("convnext_tiny", 8)]
    public void BackwardGivesEveryParameterAGradient(string name, int outputStride)
    {
        using var scope = NewDisposeScope();
        using var encoder = EncoderRegistry.Create(name, 5, outputStride);
        encoder.train();
        var features = encoder.call(randn(2, 5, 32, 32));
        features.Skip(1).Select(f => f.mean()).Aggregate((a, b) => a + b).backward();
        Assert.Empty(encoder.named_parameters().Where(p => p.parameter.grad is null).Select(p => p.name));
    }

    [Fact]
    public void ResNetLastStageConvolutionsTradeStrideForDilation()
    {
        using var os16 = EncoderRegistry.Create("resnet34", 3, 16);
        // smp dilates the whole stage, its formerly strided first convolution and 1×1 shortcut included.
        AssertGeometry(os16, "layer4.0.conv1", stride: 1, dilation: 2, padding: 2);
        AssertGeometry(os16, "layer4.2.conv2", stride: 1, dilation: 2, padding: 2);
        AssertGeometry(os16, "layer4.0.downsample.0", stride: 1, dilation: 2, padding: 0);
        AssertGeometry(os16, "layer3.0.conv1", stride: 2, dilation: 1, padding: 1);
        AssertGeometry(os16, "conv1", stride: 2, dilation: 1, padding: 3);

        using var os8 = EncoderRegistry.Create("resnet50", 3, 8);
        AssertGeometry(os8, "layer3.0.conv2", stride: 1, dilation: 2, padding: 2);
        AssertGeometry(os8, "layer4.1.conv2", stride: 1, dilation: 4, padding: 4);
        AssertGeometry(os8, "layer4.0.conv3", stride: 1, dilation: 4, padding: 0);
        AssertGeometry(os8, "layer2.0.conv2", stride: 2, dilation: 1, padding: 1);
    }

    [Fact]
    public void EfficientNetAndConvNeXtDilateTheirDeepestStages()
    {
        using var efficientNet = EncoderRegistry.Create("efficientnet-b0", 3, 16);
        // features.6.0 holds the depthwise 5×5 that was stride 2; features.5 (stride 16) is untouched.
        AssertGeometry(efficientNet, "features.6.0.block.1.0", stride: 1, dilation: 2, padding: 4);
        AssertGeometry(efficientNet, "features.7.0.block.1.0", stride: 1, dilation: 2, padding: 2);
        AssertGeometry(efficientNet, "features.4.0.block.1.0", stride: 2, dilation: 1, padding: 1);

        using var convNeXt = EncoderRegistry.Create("convnext_tiny", 3, 8);
        // timm: the 2×2 downsampling keeps the previous stage's rate (1, then 2), with "same" padding.
        AssertGeometry(convNeXt, "features.4.1", stride: 1, dilation: 1, padding: 0);
        AssertGeometry(convNeXt, "features.6.1", stride: 1, dilation: 2, padding: 1);
        AssertGeometry(convNeXt, "features.5.0.block.0", stride: 1, dilation: 2, padding: 6);
        AssertGeometry(convNeXt, "features.7.2.block.0", stride: 1, dilation: 4, padding: 12);
        AssertGeometry(convNeXt, "features.2.1", stride: 2, dilation: 1, padding: 0);
    }

    [Fact]
    public void DilatedThreeByThreeConvolutionSamplesEveryOtherPixel()
    {
        using var scope = NewDisposeScope();
        using var conv = new Conv(1, 1, 3, stride: 2, padding: 1, bias: false);
        using (no_grad())
        {
            conv.parameters().Single().copy_(arange(9f).reshape(1, 1, 3, 3));
        }
        conv.MakeDilated(2);
        var impulse = zeros(1, 1, 7, 7);
        impulse[0, 0, 3, 3] = tensor(1f);
        using var noGrad = no_grad();
        var y = conv.call(impulse);
        Assert.Equal(new long[] { 1, 1, 7, 7 }, y.shape);
        // A cross-correlation spreads the impulse as the flipped kernel, at offsets −2, 0, +2.
        var expected = zeros(1, 1, 7, 7);
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                expected[0, 0, 1 + 2 * r, 1 + 2 * c] = tensor(8f - (3 * r + c));
            }
        }
        Assert.True(y.equal(expected).all().item<bool>(), string.Join(", ", y.data<float>().ToArray()));
    }

    [Fact]
    public void EvenKernelPadsTheExtraZeroAfterAsTimmDoes()
    {
        using var scope = NewDisposeScope();
        using var conv = new Conv(1, 1, 2, stride: 2, bias: false);
        using (no_grad())
        {
            conv.parameters().Single().fill_(1f);
        }
        conv.MakeDilated(1);
        using var noGrad = no_grad();
        var y = conv.call(arange(1f, 10f).reshape(1, 1, 3, 3));
        // Each output sums its 2×2 window towards the bottom right; beyond the edge is zero.
        var expected = tensor(new[] { 12f, 16f, 9f, 24f, 28f, 15f, 15f, 17f, 9f }).reshape(1, 1, 3, 3);
        Assert.True(y.equal(expected).all().item<bool>(), string.Join(", ", y.data<float>().ToArray()));
    }

    [Fact]
    public void InvalidOrRepeatedOutputStridesAreClearErrors()
    {
        using var encoder = EncoderRegistry.Create("resnet18", 1, 16);
        encoder.MakeDilated(16);
        Assert.Contains("already runs at output stride 16", Assert.Throws<MedSegException>(() => encoder.MakeDilated(8)).Message);
        Assert.Contains("use 8, 16 or 32", Assert.Throws<MedSegException>(() => encoder.MakeDilated(4)).Message);
        var swin = Assert.Throws<MedSegException>(() => EncoderRegistry.Create("swin_t", 1, 8));
        Assert.Contains("swin_t cannot run at output stride 8", swin.Message);
    }

    private static void AssertGeometry(Encoder encoder, string path, long stride, long dilation, long padding)
    {
        var conv = Assert.IsType<Conv>(encoder.named_modules().Single(m => m.name == path).module);
        var (strides, paddings, dilations) = conv.Geometry;
        Assert.Equal([stride, stride], strides);
        Assert.Equal([dilation, dilation], dilations);
        Assert.Equal([padding, padding], paddings);
    }
}
