using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// torchvision's ResNet / ResNeXt without its classifier, as smp uses it for encoders: returns six feature maps, the
/// input itself first, then strides 2, 4, 8, 16, 32 (largest first). Field names match torchvision's state-dict keys
/// (<c>conv1</c>, <c>bn1</c>, <c>layer1.0.conv1</c>, ...), so PyTorch weights interchange.
/// </summary>
public sealed class ResNetEncoder : Encoder
{
    /// <summary>Block, blocks per stage, groups and width per group of each variant (torchvision's builders).</summary>
    private static readonly Dictionary<string, (bool Bottleneck, int[] Blocks, int Groups, int BaseWidth)> Variants = new()
    {
        ["resnet18"] = (false, [2, 2, 2, 2], 1, 64),
        ["resnet34"] = (false, [3, 4, 6, 3], 1, 64),
        ["resnet50"] = (true, [3, 4, 6, 3], 1, 64),
        ["resnet101"] = (true, [3, 4, 23, 3], 1, 64),
        ["resnext50_32x4d"] = (true, [3, 4, 6, 3], 32, 4),
    };

    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> bn1;
    private readonly Module<Tensor, Tensor> relu;
    private readonly Module<Tensor, Tensor> maxpool;
    private readonly Module<Tensor, Tensor> layer1;
    private readonly Module<Tensor, Tensor> layer2;
    private readonly Module<Tensor, Tensor> layer3;
    private readonly Module<Tensor, Tensor> layer4;

    private readonly int[] outChannels;

    /// <inheritdoc />
    public override IReadOnlyList<int> OutChannels => outChannels;

    /// <param name="name">Variant: resnet18, resnet34, resnet50, resnet101 or resnext50_32x4d.</param>
    /// <param name="inChannels">Input channels (1 for MRI slices, K for a 2.5D stack of K slices).</param>
    public ResNetEncoder(string name, int inChannels) : base(name)
    {
        if (!Variants.TryGetValue(name, out var variant))
        {
            throw new MedSegException($"unknown ResNet encoder '{name}'; valid: {string.Join(", ", Variants.Keys)}.");
        }
        conv1 = new Conv(inChannels, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = new BatchNormalization(64);
        relu = ReLU(inplace: true);
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        var stages = MakeStages(variant.Bottleneck, variant.Blocks, variant.Groups, variant.BaseWidth, seReduction: null);
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3]);
        var expansion = variant.Bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        outChannels = [inChannels, 64, 64 * expansion, 128 * expansion, 256 * expansion, 512 * expansion];
        RegisterComponents();
        TorchvisionInit.KaimingNormalConvolutions(this);
    }

    /// <summary>
    /// The four residual stages (<c>layer1</c>…<c>layer4</c>: 64, 128, 256, 512 planes, strides 1, 2, 2, 2) after a
    /// 64-channel stem, as torchvision's and pretrainedmodels' <c>_make_layer</c> build them.
    /// </summary>
    internal static Module<Tensor, Tensor>[] MakeStages(bool bottleneck, int[] blocks, int groups, int baseWidth, int? seReduction)
    {
        var stages = new Module<Tensor, Tensor>[4];
        long inChannels = 64;
        for (var s = 0; s < 4; s++)
        {
            long planes = 64 << s;
            var layers = new List<Module<Tensor, Tensor>>();
            for (var b = 0; b < blocks[s]; b++)
            {
                var stride = b == 0 && s > 0 ? 2 : 1;
                layers.Add(bottleneck
                    ? new Bottleneck(inChannels, planes, stride, groups, baseWidth, seReduction)
                    : new BasicBlock(inChannels, planes, stride));
                inChannels = planes * (bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion);
            }
            stages[s] = Sequential(layers);
        }
        return stages;
    }

    /// <inheritdoc />
    /// <remarks>smp's stages: all of <c>layer3</c> (stride 16) or <c>layer4</c> (stride 32), its first, strided block included.</remarks>
    protected override (IReadOnlyList<Module> Entry, IReadOnlyList<Module> Body)? DilatableStage(int stride) =>
        ([], [stride == 16 ? layer3 : layer4]);

    public override Tensor[] forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var stem = relu.call(bn1.call(conv1.call(x)));
        var f1 = layer1.call(maxpool.call(stem));
        var f2 = layer2.call(f1);
        var f3 = layer3.call(f2);
        var f4 = layer4.call(f3);
        return [x, .. new[] { stem, f1, f2, f3, f4 }.Select(f => f.MoveToOuterDisposeScope())];
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> ToOnnx(OnnxGraph graph, string input)
    {
        var stem = graph.Apply(relu, graph.Apply(bn1, graph.Apply(conv1, input)));
        var f1 = graph.Apply(layer1, graph.Apply(maxpool, stem));
        var f2 = graph.Apply(layer2, f1);
        var f3 = graph.Apply(layer3, f2);
        return [input, stem, f1, f2, f3, graph.Apply(layer4, f3)];
    }
}
