using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models;

/// <summary>
/// torchvision's ResNet without its classifier, as smp uses it for encoders: returns six feature maps, the input
/// itself first, then strides 2, 4, 8, 16, 32 (largest first). Field names match torchvision's state-dict keys
/// (<c>conv1</c>, <c>bn1</c>, <c>layer1.0.conv1</c>, ...), so PyTorch weights interchange.
/// </summary>
public sealed class ResNetEncoder : Encoder
{
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

    /// <param name="name">Encoder name (<c>resnet18</c> or <c>resnet34</c>).</param>
    /// <param name="inChannels">Input channels (1 for MRI slices, K for a 2.5D stack of K slices).</param>
    public ResNetEncoder(string name, int inChannels) : base(name)
    {
        int[] blocks = name switch
        {
            "resnet18" => [2, 2, 2, 2],
            "resnet34" => [3, 4, 6, 3],
            _ => throw new MedSegException($"unknown ResNet encoder '{name}'; valid: resnet18, resnet34."),
        };
        conv1 = new Conv(inChannels, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(64);
        relu = ReLU(inplace: true);
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        layer1 = MakeLayer(64, 64, blocks[0], stride: 1);
        layer2 = MakeLayer(64, 128, blocks[1], stride: 2);
        layer3 = MakeLayer(128, 256, blocks[2], stride: 2);
        layer4 = MakeLayer(256, 512, blocks[3], stride: 2);
        outChannels = [inChannels, 64, 64, 128, 256, 512];
        RegisterComponents();
    }

    private static Module<Tensor, Tensor> MakeLayer(long inChannels, long outChannels, int count, long stride)
    {
        var layers = new List<Module<Tensor, Tensor>> { new BasicBlock(inChannels, outChannels, stride) };
        for (var i = 1; i < count; i++)
        {
            layers.Add(new BasicBlock(outChannels, outChannels, 1));
        }
        return Sequential(layers);
    }

    public override Tensor[] forward(Tensor x)
    {
        var stem = relu.call(bn1.call(conv1.call(x)));
        var f1 = layer1.call(maxpool.call(stem));
        var f2 = layer2.call(f1);
        var f3 = layer3.call(f2);
        var f4 = layer4.call(f3);
        return [x, stem, f1, f2, f3, f4];
    }
}
