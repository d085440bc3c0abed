using MedSeg.Core;
using MedSeg.Tests.Torch.Encoders;
using MedSeg.Torch.Export;
using MedSeg.Torch.Models;
using MedSeg.Torch.Models.Encoders;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Export;

/// <summary>
/// ONNX export checked against an independent runtime: ONNX Runtime runs the exported graph and must give the
/// TorchSharp model's output within 1e-4 (fp32). Every encoder family is checked under U-Net and every decoder under
/// ResNet-18 (the export is compositional: an encoder's nodes do not depend on the decoder after it; `medseg export`
/// on any other pair uses the same module descriptions), plus the 3D
/// networks, the classification head and dilated DeepLabV3+. BatchNorm statistics are randomised first so that the
/// folding into the convolutions is really exercised.
/// </summary>
public sealed class OnnxExportTests
{
    /// <summary>fp32 agreement, relative to the largest output magnitude when that exceeds 1 (random deep networks reach thousands).</summary>
    private const double Tolerance = 1e-4;

    public static TheoryData<string, string> TwoDimensionalModels()
    {
        var data = new TheoryData<string, string>();
        // One encoder per module family (variants differ in depth and width only, not in the modules exported).
        foreach (var encoder in new[] { "resnet18", "resnext50_32x4d", "se_resnext50_32x4d", "efficientnet-b0", "convnext_tiny", "swin_t" })
        {
            data.Add("unet", encoder);
        }
        foreach (var arch in ModelFactory.TwoDimensional.Where(a => a != "unet"))
        {
            data.Add(arch, "resnet18");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TwoDimensionalModels))]
    public void TwoDimensionalModelMatchesOnnxRuntime(string arch, string encoder)
    {
        random.manual_seed(7);
        using var model = ModelFactory.Create(arch, encoder, 3, 2, ModelOptions.Default with { DecoderChannels = arch is "unet" or "unetplusplus" ? [32, 16, 16, 8, 8] : null });
        AssertParity(model, [64, 96], fixedSize: encoder.StartsWith("swin") || arch == "upernet");
    }

    /// <summary>
    /// Every other encoder–decoder pair `medseg models` lists (the variants at other depths and widths), at its full
    /// size, so that no listed model reaches a user without an independent runtime having run its graph.
    /// </summary>
    public static TheoryData<string, string> RemainingTwoDimensionalModels()
    {
        var covered = TwoDimensionalModels().Select(row => ((string)row[0], (string)row[1])).ToHashSet();
        var data = new TheoryData<string, string>();
        foreach (var (arch, encoders) in ModelFactory.Architectures.Where(a => ModelFactory.TwoDimensional.Contains(a.Key)))
        {
            foreach (var encoder in encoders.Where(e => !covered.Contains((arch, e))))
            {
                data.Add(arch, encoder);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RemainingTwoDimensionalModels))]
    public void EveryListedModelMatchesOnnxRuntime(string arch, string encoder)
    {
        random.manual_seed(7);
        using var model = ModelFactory.Create(arch, encoder, 1, 3);
        AssertParity(model, [64, 64], fixedSize: encoder.StartsWith("swin") || arch == "upernet", batch: 1);
    }

    [Theory]
    [InlineData("unet3d")]
    [InlineData("residualunet3d")]
    [InlineData("segresnet")]
    public void VolumetricModelMatchesOnnxRuntime(string arch)
    {
        random.manual_seed(7);
        using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, 3, ModelOptions.Default with { Features = 8, Levels = 3 });
        AssertParity(model, [8, 12, 16], fixedSize: false);
    }

    [Theory]
    [InlineData("unet3d")]
    [InlineData("residualunet3d")]
    public void NnUNetBlocksExportAsInstanceNormalizationAndDeepSupervisionHeadsDoNot(string arch)
    {
        random.manual_seed(7);
        using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, 3,
            ModelOptions.Default with { Features = 8, Levels = 4, LayerOrder = MedSeg.Torch.Models.Volumetric.LayerOrder.NnUNet, DeepSupervision = true });
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.Contains("instancenorm", StringComparison.Ordinal)))
            {
                parameter.uniform_(name.EndsWith("weight", StringComparison.Ordinal) ? 0.5 : -0.5, name.EndsWith("weight", StringComparison.Ordinal) ? 1.5 : 0.5);
            }
        }
        var onnx = OnnxExporter.Build(model);
        Assert.Contains(onnx.Graph.Node, n => n.OpType == "InstanceNormalization");
        Assert.Single(onnx.Graph.Output, o => o.Name == "logits");
        AssertParity(model, [8, 16, 24], fixedSize: false);
    }

    [Theory]
    [InlineData("segcaps", 2)]
    [InlineData("capsnet3d", 3)]
    public void CapsuleNetworkMatchesOnnxRuntime(string arch, int spatialDims)
    {
        random.manual_seed(7);
        using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, 2, ModelOptions.Default with { Features = 4, Classification = true });
        AssertParity(model, spatialDims == 2 ? [24, 40] : [8, 16, 24], fixedSize: false);
    }

    [Fact]
    public void ClassificationHeadIsASecondOutput()
    {
        random.manual_seed(7);
        using var model = ModelFactory.Create("unet", "resnet18", 1, 3, ModelOptions.Default with { Classification = true });
        model.eval();
        using var x = randn(2, 1, 64, 64);
        var (mask, classes) = model.ForwardWithClassification(x);
        using var session = Session(OnnxExporter.Build(model));
        using var results = session.Run([Input(x)]);
        AssertClose(mask, results.Single(r => r.Name == "logits").AsTensor<float>());
        AssertClose(classes, results.Single(r => r.Name == "class_logits").AsTensor<float>());
    }

    /// <summary>The empty-slice gate's classifier: each encoder family's reference head on its deepest feature.</summary>
    [Theory]
    [MemberData(nameof(EncoderFamilies.OnePerHead), MemberType = typeof(EncoderFamilies))]
    public void ClassifierMatchesOnnxRuntime(string encoder)
    {
        random.manual_seed(7);
        using var model = new ImageClassifier(encoder, 3, 2);
        model.eval();
        RandomiseBatchNormStatistics(model);
        using var x = randn(2, 3, 64, 96);
        using var expected = Forward(model, x);
        using var session = Session(OnnxExporter.BuildClassifier([model], spatialSize: encoder.StartsWith("swin") ? [64, 96] : null));
        using var results = session.Run([Input(x)]);
        AssertClose(expected, results.Single(r => r.Name == "logits").AsTensor<float>());
        using var probabilities = expected.sigmoid();
        AssertClose(probabilities, results.Single(r => r.Name == "probabilities").AsTensor<float>());
    }

    [Fact]
    public void DynamicExportOfAFixedSizeNetworkNamesTheModule()
    {
        random.manual_seed(7);
        using var model = ModelFactory.Create("unet", "swin_t", 3, 1);
        var error = Assert.Throws<FixedSizeRequiredException>(() => OnnxExporter.Build(model));
        Assert.Contains("encoder", error.Message);
        Assert.Contains("--size", error.Message);
    }

    [Fact]
    public void MetadataAndDynamicAxesAreRecorded()
    {
        random.manual_seed(7);
        using var model = ModelFactory.Create("fpn", "resnet18", 1, 3);
        var onnx = OnnxExporter.Build(model, new Dictionary<string, string> { ["classes"] = "large_bowel,small_bowel,stomach" });
        using var session = Session(onnx);
        Assert.Equal("large_bowel,small_bowel,stomach", session.ModelMetadata.CustomMetadataMap["classes"]);
        Assert.Equal([-1, 1, -1, -1], session.InputMetadata["image"].Dimensions);
        Assert.DoesNotContain(onnx.Graph.Node, n => n.OpType == "BatchNormalization");
    }

    private static void AssertParity(SegmentationModel model, long[] spatial, bool fixedSize, long batch = 2)
    {
        model.eval();
        RandomiseBatchNormStatistics(model);
        using var x = randn([batch, model.InChannels, .. spatial]);
        using var expected = Forward(model, x);
        using var session = Session(OnnxExporter.Build(model, spatialSize: fixedSize ? spatial : null));
        using var results = session.Run([Input(x)]);
        AssertClose(expected, results.Single(r => r.Name == "logits").AsTensor<float>());
    }

    private static Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using var noGrad = no_grad();
        return model.call(x);
    }

    internal static void RandomiseBatchNormStatistics(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var norm in model.modules().OfType<BatchNormalization>())
        {
            norm.running_mean!.uniform_(-0.2, 0.2);
            norm.running_var!.uniform_(0.5, 1.5);
        }
    }

    private static InferenceSession Session(global::Onnx.ModelProto onnx) => new(Google.Protobuf.MessageExtensions.ToByteArray(onnx));

    private static NamedOnnxValue Input(Tensor x) =>
        NamedOnnxValue.CreateFromTensor("image", new DenseTensor<float>(x.contiguous().data<float>().ToArray(), [.. x.shape.Select(s => (int)s)]));

    private static void AssertClose(Tensor expected, Microsoft.ML.OnnxRuntime.Tensors.Tensor<float> actual)
    {
        Assert.Equal(expected.shape, actual.Dimensions.ToArray().Select(d => (long)d).ToArray());
        var want = expected.contiguous().data<float>().ToArray();
        var got = actual.ToArray();
        var worst = want.Zip(got, (a, b) => Math.Abs(a - b)).Max();
        var scale = Math.Max(1, want.Max(Math.Abs));
        Assert.True(worst <= Tolerance * scale, $"max |torch − onnxruntime| = {worst:g3} > {Tolerance:g1} × {scale:g3} (the largest |output|)");
    }
}
