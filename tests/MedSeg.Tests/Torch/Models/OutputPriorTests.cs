using MedSeg.Core;
using MedSeg.Torch.Models;
using MedSeg.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Models;

/// <summary>
/// <c>--output-prior</c>: a new network's output layers (and deep-supervision heads) get the bias logit(P) and nothing
/// else changes, so every output's mean probability falls well below the zero-bias network's; networks without an
/// output convolution refuse it.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class OutputPriorTests
{
    [Theory]
    [InlineData("unet", "resnet18", 2)]
    [InlineData("fpn", "resnet18", 2)]
    [InlineData("unet3d", ModelFactory.NoEncoder, 3)]
    [InlineData("residualunet3d", ModelFactory.NoEncoder, 3)]
    [InlineData("segresnet", ModelFactory.NoEncoder, 3)]
    public void EveryOutputLayerStartsAtThePriorsLogit(string arch, string encoder, int spatialDims)
    {
        random.manual_seed(5);
        var config = new TrainConfig
        {
            Arch = arch, Encoder = encoder, Mode = spatialDims == 3 ? "3d" : "2d", OutputPrior = 0.01,
            Features = spatialDims == 3 ? 8 : null, Levels = spatialDims == 3 ? 4 : null, DeepSupervision = ModelFactory.HasDeepSupervision(arch),
        };
        using var model = (SegmentationModel)TrainingNetworks.Create(config, classes: 3);
        model.eval();
        random.manual_seed(5);
        using var plain = (SegmentationModel)TrainingNetworks.Create(config with { OutputPrior = null }, classes: 3);
        plain.eval();
        using var scope = NewDisposeScope();
        var x = spatialDims == 2 ? randn(2, 1, 64, 64) : randn([1, 1, 16, 32, 32]);
        var outputs = model is IDeepSupervisedModel supervised ? supervised.ForwardDeepSupervision(x) : [model.call(x)];
        Assert.True(outputs.Count >= (config.DeepSupervision == true ? 2 : 1));
        var plainOutputs = plain is IDeepSupervisedModel plainSupervised ? plainSupervised.ForwardDeepSupervision(x) : [plain.call(x)];
        for (var i = 0; i < outputs.Count; i++)
        {
            var mean = outputs[i].sigmoid().mean().item<float>();
            var plainMean = plainOutputs[i].sigmoid().mean().item<float>();
            Assert.True(mean < 0.5 * plainMean, $"{arch}, output {i}: mean probability {mean} with the prior, {plainMean} without");
        }
        // The bias of each output's convolution is logit(0.01); nothing else is touched (same seed, same weights).
        var logit = (float)Math.Log(0.01 / 0.99);
        var withPrior = model.state_dict();
        var changed = plain.state_dict().Where(p => !p.Value.eq(withPrior[p.Key]).all().item<bool>()).Select(p => p.Key).ToList();
        Assert.Equal(outputs.Count, changed.Count);
        Assert.All(changed, key => Assert.True(key.EndsWith("bias", StringComparison.Ordinal) && withPrior[key].eq(logit).all().item<bool>(), key));
    }

    [Fact]
    public void ACapsuleNetworkRefusesTheOption()
    {
        var config = new TrainConfig { Arch = "segcaps", Encoder = ModelFactory.NoEncoder, Features = 4, OutputPrior = 0.01 };
        var error = Assert.Throws<MedSegException>(() => TrainingNetworks.Create(config, classes: 2));
        Assert.Contains("--output-prior", error.Message, StringComparison.Ordinal);
    }
}
