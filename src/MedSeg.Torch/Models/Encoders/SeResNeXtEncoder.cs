using MedSeg.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// pretrainedmodels' <c>se_resnext50_32x4d</c> (SENet with SE-ResNeXt bottlenecks, 32 groups × 4, SE reduction 16)
/// without its classifier, as smp's <c>se_resnext50_32x4d</c> encoder: the input, then the stem (<c>layer0</c> before
/// its pool, stride 2), then <c>layer1</c>…<c>layer4</c> (strides 4…32). Keys as pretrainedmodels/smp:
/// <c>layer0.conv1.weight</c>, <c>layer1.0.se_module.fc1.weight</c>, ...
/// </summary>
public sealed class SeResNeXtEncoder : Encoder
{
    private readonly Sequential layer0;
    private readonly Module<Tensor, Tensor> layer1;
    private readonly Module<Tensor, Tensor> layer2;
    private readonly Module<Tensor, Tensor> layer3;
    private readonly Module<Tensor, Tensor> layer4;

    private readonly int[] outChannels;

    /// <inheritdoc />
    public override IReadOnlyList<int> OutChannels => outChannels;

    /// <param name="name">Variant: se_resnext50_32x4d.</param>
    /// <param name="inChannels">Input channels.</param>
    public SeResNeXtEncoder(string name, int inChannels) : base(name)
    {
        if (name != "se_resnext50_32x4d")
        {
            throw new MedSegException($"unknown SE-ResNeXt encoder '{name}'; valid: se_resnext50_32x4d.");
        }
        // The pool uses ceil_mode instead of padding, as pretrainedmodels does for Caffe-weight compatibility.
        layer0 = Sequential(
            ("conv1", new Conv(inChannels, 64, 7, stride: 2, padding: 3, bias: false)),
            ("bn1", new BatchNormalization(64)),
            ("relu1", ReLU(inplace: true)),
            ("pool", MaxPool2d(3, stride: 2, ceil_mode: true)));
        var stages = ResNetEncoder.MakeStages(bottleneck: true, [3, 4, 6, 3], groups: 32, baseWidth: 4, seReduction: 16);
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3]);
        outChannels = [inChannels, 64, 256, 512, 1024, 2048];
        RegisterComponents();
    }

    /// <inheritdoc />
    /// <remarks>smp's stages: all of <c>layer3</c> (stride 16) or <c>layer4</c> (stride 32), its first, strided block included.</remarks>
    protected override (IReadOnlyList<Module> Entry, IReadOnlyList<Module> Body)? DilatableStage(int stride) =>
        ([], [stride == 16 ? layer3 : layer4]);

    public override Tensor[] forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var stem = x;
        for (var i = 0; i < 3; i++)
        {
            stem = layer0[i].call(stem);
        }
        var f1 = layer1.call(layer0[3].call(stem));
        var f2 = layer2.call(f1);
        var f3 = layer3.call(f2);
        var f4 = layer4.call(f3);
        return [x, .. new[] { stem, f1, f2, f3, f4 }.Select(f => f.MoveToOuterDisposeScope())];
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> ToOnnx(OnnxGraph graph, string input)
    {
        var stem = input;
        for (var i = 0; i < 3; i++)
        {
            stem = graph.Apply(layer0[i], stem);
        }
        var f1 = graph.Apply(layer1, graph.Apply(layer0[3], stem));
        var f2 = graph.Apply(layer2, f1);
        var f3 = graph.Apply(layer3, f2);
        return [input, stem, f1, f2, f3, graph.Apply(layer4, f3)];
    }
}
