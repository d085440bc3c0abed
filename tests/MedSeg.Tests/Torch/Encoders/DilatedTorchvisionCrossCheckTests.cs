using MedSeg.Torch.Models.Encoders;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Encoders;

/// <summary>
/// Independent reference for <see cref="MedSeg.Torch.Models.Encoder.MakeDilated"/>: torchvision builds each network
/// with random weights and BatchNorm statistics, saves its state dict, then dilates itself in PyTorch — smp's
/// <c>replace_strides_with_dilation</c> on the ResNet / EfficientNet stages, timm's dilated ConvNeXt stage (2×2
/// downsampling at the previous rate with "same" padding, blocks at the stage's rate) — and saves the deepest feature
/// of an input. The MedSeg encoder loads the state dict, dilates itself and must give the same feature.
/// torchvision's own <c>replace_stride_with_dilation</c> is not the reference: it refuses ResNet-18/34 and leaves the
/// first block of a stage undilated, where smp dilates the whole stage.
/// </summary>
public sealed class DilatedTorchvisionCrossCheckTests : IDisposable
{
    private const string Script = """
        import sys, torch, torchvision
        torch.manual_seed(0)

        def dilate(module, rate):
            for m in module.modules():
                if isinstance(m, torch.nn.Conv2d):
                    k = m.kernel_size[0]
                    m.stride, m.dilation, m.padding = (1, 1), (rate, rate), ((k // 2) * rate, (k // 2) * rate)

        def same(parent, index, rate):
            conv = parent[index]
            conv.stride, conv.dilation, conv.padding = (1, 1), (rate, rate), (rate // 2, rate // 2)
            if rate % 2:
                parent[index] = torch.nn.Sequential(torch.nn.ZeroPad2d((0, 1, 0, 1)), conv)

        for tag in sys.argv[2:]:
            name, stride = tag.split('-os')[0], int(tag.split('-os')[1])
            model = getattr(torchvision.models, name)()
            with torch.no_grad():
                for m in model.modules():
                    if isinstance(m, torch.nn.BatchNorm2d):
                        m.running_mean.uniform_(-0.5, 0.5); m.running_var.uniform_(0.5, 1.5)
                        m.weight.uniform_(0.5, 1.5); m.bias.uniform_(-0.2, 0.2)
                    if hasattr(m, "layer_scale"):
                        m.layer_scale.uniform_(0.5, 1.0)
            model.eval()
            torch.save(model.state_dict(), f"{sys.argv[1]}/{tag}.pt")
            rates = {16: [0, 2], 8: [2, 4]}[stride]
            for level, rate in enumerate(rates):
                if rate == 0:
                    continue
                if name.startswith("resnet"):
                    dilate([model.layer3, model.layer4][level], rate)
                elif name.startswith("efficientnet"):
                    for i in [[4, 5], [6, 7]][level]:
                        dilate(model.features[i], rate)
                else:
                    same(model.features[4 + 2 * level], 1, rate // 2)
                    dilate(model.features[5 + 2 * level], rate)
            if name.startswith("resnet"):
                trunk = torch.nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool, model.layer1, model.layer2, model.layer3, model.layer4)
            else:
                trunk = model.features[:8]
            x = torch.randn(2, 3, 64, 96)
            with torch.no_grad():
                y = trunk(x)
            torch.save({"x": x, "y": y.contiguous()}, f"{sys.argv[1]}/{tag}.io.pt")
        """;

    /// <summary>MedSeg encoder, torchvision builder and output stride: smp's whole-stage dilation on two families, timm's ConvNeXt with both entry paddings.</summary>
    private static readonly (string Encoder, string Torchvision, int OutputStride)[] Cases =
    [
        ("resnet34", "resnet34", 16),
        ("efficientnet-b0", "efficientnet_b0", 8),
        ("convnext_tiny", "convnext_tiny", 8),
    ];

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"medseg-dilated-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TorchvisionFact]
    public void DeepestFeatureEqualsDilatedTorchvisionWithItsWeights()
    {
        TorchvisionReference.Run(Script, folder, Cases.Select(c => $"{c.Torchvision}-os{c.OutputStride}"));

        foreach (var (encoder, torchvision, outputStride) in Cases)
        {
            using var scope = NewDisposeScope();
            var tag = $"{torchvision}-os{outputStride}";
            using var model = new ImageClassifier(encoder);
            model.load_py(Path.Combine(folder, $"{tag}.pt"), strict: true);
            model.Encoder.MakeDilated(outputStride);
            model.eval();
            var io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(folder, $"{tag}.io.pt"));
            var (x, expected) = ((Tensor)io["x"]!, (Tensor)io["y"]!);
            Assert.Equal(new long[] { 2, model.Encoder.OutChannels[^1], 64 / outputStride, 96 / outputStride }, expected.shape);
            using var noGrad = no_grad();
            var actual = model.Encoder.call(x)[^1];
            var difference = (actual - expected).abs().max().item<float>();
            var tolerance = 1e-4f * Math.Max(1f, expected.abs().max().item<float>());
            Assert.True(difference <= tolerance, $"{tag}: max |MedSeg − torchvision| = {difference} > {tolerance}");
        }
    }
}
