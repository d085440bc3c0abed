using MedSeg.Tests.Torch.Export;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Models;
using MedSeg.Torch.Models.Encoders;
using Tensor = TorchSharp.torch.Tensor;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Inference;

/// <summary>
/// The inference-prepared network against the plain fp32 eval forward of the same weights, for every model family the
/// ONNX parity tests enumerate (BatchNorm statistics randomised so folding is exercised): prepared in fp32 (BatchNorm
/// folded only) within 1e-4 of the largest output; prepared in bf16 (forced, whatever the CPU's kernels) within
/// <see cref="Bf16Tolerance"/> of it and with at least <see cref="Bf16LabelAgreement"/> of the thresholded labels
/// (logit &gt; 0) identical. Sequential: the networks are seeded through libtorch's process-wide generator, which a
/// parallel test drawing from it meanwhile would change (a different random network, a different label agreement).
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class InferenceNetworkTests
{
    private const double Fp32Tolerance = 1e-4;

    /// <summary>bf16 keeps 8 bits of mantissa: relative errors of a few 1e-3 per layer add up over a deep random network.</summary>
    private const double Bf16Tolerance = 0.1;

    private const double Bf16LabelAgreement = 0.99;

    public static TheoryData<string, string> TwoDimensionalModels() => OnnxExportTests.TwoDimensionalModels();

    [Theory]
    [MemberData(nameof(TwoDimensionalModels))]
    public void TwoDimensionalModelMatchesEvalForward(string arch, string encoder) =>
        AssertPreparedMatches(() => ModelFactory.Create(arch, encoder, 3, 2,
            ModelOptions.Default with { DecoderChannels = arch is "unet" or "unetplusplus" ? [32, 16, 16, 8, 8] : null }), [2, 3, 64, 96]);

    [Theory]
    [InlineData("unet3d")]
    [InlineData("residualunet3d")]
    [InlineData("segresnet")]
    public void VolumetricModelMatchesEvalForward(string arch) =>
        AssertPreparedMatches(() => ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, 3, ModelOptions.Default with { Features = 8, Levels = 3 }), [2, 1, 8, 12, 16]);

    [Theory]
    [InlineData("segcaps", 2)]
    [InlineData("capsnet3d", 3)]
    public void CapsuleNetworkMatchesEvalForward(string arch, int spatialDims) =>
        AssertPreparedMatches(() => ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, 2, ModelOptions.Default with { Features = 4 }),
            spatialDims == 2 ? [2, 1, 24, 40] : [2, 1, 8, 16, 24]);

    [Fact]
    public void GateClassifierMatchesEvalForward() => AssertPreparedMatches(() => new ImageClassifier("resnet18", 3, 2), [2, 3, 64, 96]);

    [Fact]
    public void ResNetUnetFoldsEveryBatchNormAfterAConvolution()
    {
        random.manual_seed(7);
        using var model = ModelFactory.Create("unet", "resnet18", 1, 1);
        var norms = model.modules().OfType<BatchNormalization>().Count();
        using var prepared = InferenceNetwork.Prepare(model, "fp32", CPU, [64, 64]);
        // Every BatchNorm of a ResNet U-Net directly follows a convolution whose output nothing else reads.
        Assert.Equal(norms, prepared.FoldedBatchNorms);
    }

    [Fact]
    public void PreparedForwardIsDeterministic()
    {
        random.manual_seed(7);
        using var prepared = InferenceNetwork.Prepare(ModelFactory.Create("unet", "resnet18", 1, 2), ScalarType.BFloat16, [64, 64]);
        using var x = randn(2, 1, 64, 64);
        using var first = prepared.call(x);
        using var second = prepared.call(x);
        Assert.Equal(ScalarType.Float32, first.dtype);
        Assert.True(first.eq(second).all().item<bool>());
    }

    private static void AssertPreparedMatches(Func<nn.Module<Tensor, Tensor>> create, long[] shape)
    {
        random.manual_seed(7);
        using var reference = create();
        reference.eval();
        OnnxExportTests.RandomiseBatchNormStatistics(reference);
        using var x = randn(shape);
        using var expected = Forward(reference, x);
        var state = reference.state_dict();
        var scale = Math.Max(1, expected.abs().max().item<float>());
        long[] spatial = [.. shape[2..]];

        using var fp32 = InferenceNetwork.Prepare(Copy(create, state), "fp32", CPU, spatial);
        using var fp32Output = Forward(fp32, x);
        var fp32Error = expected.sub(fp32Output).abs().max().item<float>();
        Assert.True(fp32Error <= Fp32Tolerance * scale, $"fp32 prepared: max |eval − prepared| = {fp32Error:g3} > {Fp32Tolerance:g1} × {scale:g3}");

        using var bf16 = InferenceNetwork.Prepare(Copy(create, state), ScalarType.BFloat16, spatial);
        using var bf16Output = Forward(bf16, x);
        Assert.Equal(ScalarType.Float32, bf16Output.dtype);
        var bf16Error = expected.sub(bf16Output).abs().max().item<float>();
        var agreement = expected.gt(0).eq(bf16Output.gt(0)).to_type(ScalarType.Float32).mean().item<float>();
        Assert.True(bf16Error <= Bf16Tolerance * scale && agreement >= Bf16LabelAgreement,
            $"bf16 prepared: max |eval − prepared| = {bf16Error:g3} (limit {Bf16Tolerance:g2} × {scale:g3}); {agreement:P2} of thresholded labels agree (limit {Bf16LabelAgreement:P0})");
    }

    private static nn.Module<Tensor, Tensor> Copy(Func<nn.Module<Tensor, Tensor>> create, Dictionary<string, Tensor> state)
    {
        var copy = create();
        copy.load_state_dict(state);
        return copy;
    }

    private static Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using var noGrad = no_grad();
        return model.call(x);
    }
}
