using MedSeg.Core;
using MedSeg.Torch.Losses;
using MedSeg.Torch.Models;
using MedSeg.Torch.Models.Volumetric;
using MedSeg.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Models;

/// <summary>
/// nnU-Net's 3D network pieces: InstanceNorm against a hand-written normalisation, the <c>cil</c> block order,
/// deep-supervision heads (shapes, main head = forward, the loss as the weighted sum over hand-pooled targets), the
/// size step read from the config, and that a run saved before these options builds the network it was trained with.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class NnUNetBlockTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void InstanceNormMatchesTheNormalisationWrittenOut(int spatialDims)
    {
        random.manual_seed(5);
        using var norm = new InstanceNormalization(3);
        using (no_grad())
        {
            foreach (var p in norm.parameters())
            {
                p.uniform_(-2, 2);
            }
        }
        using var scope = NewDisposeScope();
        var x = randn(spatialDims == 2 ? [2, 3, 5, 7] : [2, 3, 4, 5, 6]) * 3 + 1;
        var axes = Enumerable.Range(2, spatialDims).Select(a => (long)a).ToArray();
        var mean = x.mean(axes, keepdim: true);
        var variance = (x - mean).square().mean(axes, keepdim: true);
        var shape = new long[] { 1, 3 }.Concat(Enumerable.Repeat(1L, spatialDims)).ToArray();
        var parameters = norm.parameters().ToArray();
        var expected = (x - mean) / (variance + 1e-5).sqrt() * parameters[0].reshape(shape) + parameters[1].reshape(shape);
        var actual = norm.call(x);
        Assert.True(allclose(actual, expected, rtol: 1e-4, atol: 1e-5), $"max difference {(actual - expected).abs().max().item<float>()}");
        norm.eval();
        Assert.True(allclose(norm.call(x), expected, rtol: 1e-4, atol: 1e-5), "evaluation mode must normalise by the sample's own statistics too");
    }

    [Fact]
    public void TheNnUNetOrderIsConvInstanceNormLeakyRelu()
    {
        using var block = LayerOrder.SingleConv(2, 4, LayerOrder.NnUNet, 8, 3);
        Assert.Equal(["conv", "instancenorm", "LeakyReLU"], block.named_children().Select(c => c.name).ToArray());
        Assert.DoesNotContain(block.named_parameters(), p => p.name == "conv.bias");
        Assert.Equal(0.01, ((TorchSharp.Modules.LeakyReLU)block.named_children().Last().module).negative_slope);
        Assert.Throws<MedSegException>(() => LayerOrder.Check("cix"));
    }

    [Theory]
    [InlineData("unet3d", 4, 2)]
    [InlineData("unet3d", 2, 1)]
    [InlineData("residualunet3d", 5, 3)]
    public void DeepSupervisionHeadsDropTheCoarsestStageAndLeaveForwardAlone(string arch, int levels, int outputs)
    {
        random.manual_seed(3);
        using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, 2,
            new ModelOptions { Features = 4, Levels = levels, LayerOrder = LayerOrder.NnUNet, DeepSupervision = true });
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn([1, 1, 16, 16, 16]);
        var all = ((IDeepSupervisedModel)model).ForwardDeepSupervision(x);
        Assert.Equal(outputs, ((IDeepSupervisedModel)model).DeepSupervisionOutputs);
        Assert.Equal(outputs, all.Count);
        for (var k = 0; k < outputs; k++)
        {
            Assert.Equal(new long[] { 1, 2, 16 >> k, 16 >> k, 16 >> k }, all[k].shape);
        }
        Assert.True(allclose(model.call(x), all[0]), "forward must be the full-resolution head of the deep-supervised outputs");
    }

    [Fact]
    public void TheTrainingLossWeighsTheHeadsAsNnUNetAgainstMaxPooledTargets()
    {
        random.manual_seed(11);
        using var model = ModelFactory.Create("residualunet3d", ModelFactory.NoEncoder, 1, 1,
            new ModelOptions { Features = 4, Levels = 5, LayerOrder = LayerOrder.NnUNet, DeepSupervision = true });
        using var scope = NewDisposeScope();
        var x = randn([2, 1, 16, 16, 16]);
        // One foreground voxel at (5, 6, 7): at ½ it is voxel (2, 3, 3), at ¼ voxel (1, 1, 1).
        var target = zeros([2, 1, 16, 16, 16]);
        target[0, 0, 5, 6, 7] = tensor(1f);
        var half = zeros([2, 1, 8, 8, 8]);
        half[0, 0, 2, 3, 3] = tensor(1f);
        var quarter = zeros([2, 1, 4, 4, 4]);
        quarter[0, 0, 1, 1, 1] = tensor(1f);
        var plain = SegmentationLoss.Parse("bce:0.5+dice:0.5");
        var loss = new NetworkLoss(plain, 0).Compute(model, x, target, null);
        using var noGrad = no_grad();
        var outputs = ((IDeepSupervisedModel)model).ForwardDeepSupervision(x);
        // nnU-Net: weights 1, ½, ¼ (and 0 for the coarsest stage, which has no head here), normalised to sum 1.
        var expected = (4.0 / 7) * plain.Compute(outputs[0], target) + (2.0 / 7) * plain.Compute(outputs[1], half)
            + (1.0 / 7) * plain.Compute(outputs[2], quarter);
        Assert.Equal(expected.item<float>(), loss.item<float>(), 5);
    }

    [Theory]
    [InlineData("unet3d", null)]
    [InlineData("unet3d", 3)]
    [InlineData("residualunet3d", null)]
    [InlineData("residualunet3d", 2)]
    [InlineData("segresnet", null)]
    [InlineData("segresnet", 3)]
    [InlineData("capsnet3d", null)]
    public void TheSizeStepFromTheConfigIsTheBuiltNetworks(string arch, int? levels)
    {
        var options = new ModelOptions { Features = 8, Levels = levels };
        using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, 1, 2, options);
        Assert.Equal(model.SizeMultiple, ModelFactory.SizeMultiple(arch, options));
    }

    [Fact]
    public void ARunSavedBeforeTheOptionsBuildsTheNetworkItWasTrainedWith()
    {
        // A 3D config.json as runs wrote it before layer_order and deep_supervision existed.
        const string old = """
            { "mode": "3d", "arch": "unet3d", "encoder": "none", "patch": "8x32x32", "features": 8, "levels": 4, "folds": 1 }
            """;
        var config = System.Text.Json.JsonSerializer.Deserialize<TrainConfig>(old, TrainConfig.Json)!;
        Assert.Null(config.LayerOrder);
        Assert.Null(config.DeepSupervision);
        using var loaded = TrainingNetworks.Create(config, 3);
        using var reference = new UNet3D(1, 3, 8, 4, LayerOrder.Default);
        Assert.Equal(reference.state_dict().Keys, loaded.state_dict().Keys);
        Assert.Contains("encoders.0.basic_module.SingleConv1.groupnorm.weight", loaded.state_dict().Keys);
        Assert.DoesNotContain(loaded.state_dict().Keys, k => k.StartsWith("deep_supervision_heads", StringComparison.Ordinal));
        Assert.Equal(1, ((IDeepSupervisedModel)loaded).DeepSupervisionOutputs);

        // A new run resolves nnU-Net's choices and records them; choices the user made stay.
        var fitted = TrainingDefaults.FitNetwork(config);
        Assert.Equal((LayerOrder.NnUNet, true), (fitted.LayerOrder, fitted.DeepSupervision));
        var json = System.Text.Json.JsonSerializer.Serialize(fitted, TrainConfig.Json);
        Assert.Contains("\"layer_order\": \"cil\"", json);
        Assert.Contains("\"deep_supervision\": true", json);
        using var fresh = TrainingNetworks.Create(fitted, 3);
        Assert.Contains("encoders.0.basic_module.SingleConv1.instancenorm.weight", fresh.state_dict().Keys);
        Assert.Contains("deep_supervision_heads.0.weight", fresh.state_dict().Keys);
        Assert.Equal(8, fitted.Features);
        Assert.Equal(TrainingDefaults.NnUNetFeatures, TrainingDefaults.FitNetwork(config with { Features = null, Device = "cuda" }).Features);
        Assert.Equal(TrainingDefaults.CpuFeatures, TrainingDefaults.FitNetwork(config with { Features = null, Device = "cpu" }).Features);
        var chosen = TrainingDefaults.FitNetwork(config with { LayerOrder = "gcr", DeepSupervision = false });
        Assert.Equal(("gcr", false), (chosen.LayerOrder, chosen.DeepSupervision));
        var twoD = config with { Mode = "2d", Arch = "unet", Encoder = "resnet18" };
        Assert.Same(twoD, TrainingDefaults.FitNetwork(twoD));
    }

    [Fact]
    public void TheOptionsAreRefusedForNetworksWithoutThem()
    {
        var error = Assert.Throws<MedSegException>(() => new TrainConfig { Mode = "3d", Arch = "segresnet", Encoder = "none", DeepSupervision = true }.Validate());
        Assert.Contains("--deep-supervision", error.Message);
        Assert.Throws<MedSegException>(() => new TrainConfig { Mode = "3d", LayerOrder = "cxl" }.Validate());
    }
}
