using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>torchvision's ResNet basic block (two 3×3 convolutions and a residual); field names give torchvision's state-dict keys.</summary>
public sealed class BasicBlock : Module<Tensor, Tensor>, IOnnxModule
{
    /// <summary>Output channels per <c>planes</c>.</summary>
    public const int Expansion = 1;

    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> bn1;
    private readonly Module<Tensor, Tensor> relu;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor> bn2;
    private readonly Module<Tensor, Tensor>? downsample;

    public BasicBlock(long inChannels, long outChannels, long stride) : base(nameof(BasicBlock))
    {
        conv1 = new Conv(inChannels, outChannels, 3, stride, 1, bias: false);
        bn1 = new BatchNormalization(outChannels);
        relu = ReLU(inplace: true);
        conv2 = new Conv(outChannels, outChannels, 3, padding: 1, bias: false);
        bn2 = new BatchNormalization(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            downsample = Sequential(
                new Conv(inChannels, outChannels, 1, stride: stride, bias: false),
                new BatchNormalization(outChannels));
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? x : downsample.call(x);
        var y = relu.call(bn1.call(conv1.call(x)));
        y = bn2.call(conv2.call(y));
        return relu.call(y.add_(identity)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        var identity = downsample is null ? input : graph.Apply(downsample, input);
        var y = graph.Apply(relu, graph.Apply(bn1, graph.Apply(conv1, input)));
        y = graph.Apply(bn2, graph.Apply(conv2, y));
        return graph.Apply(relu, graph.Add(y, identity));
    }
}
