using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Volumetric;

/// <summary>
/// MONAI's SegResNet <c>ResBlock</c> (pre-activation): GroupNorm → ReLU → conv3×3 → GroupNorm → ReLU → conv3×3, plus
/// the input. Keys <c>norm1</c>, <c>norm2</c>, <c>conv1.conv</c>, <c>conv2.conv</c>, as MONAI's.
/// </summary>
public sealed class SegResBlock : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Module<Tensor, Tensor> norm1;
    private readonly Module<Tensor, Tensor> norm2;
    private readonly Module<Tensor, Tensor> act;
    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> conv2;

    public SegResBlock(long channels, int numGroups, int spatialDims) : base(nameof(SegResBlock))
    {
        norm1 = new GroupNormalization(numGroups, channels);
        norm2 = new GroupNormalization(numGroups, channels);
        act = ReLU(inplace: true);
        conv1 = SegResNet.Convolution(channels, channels, 3, 1, bias: false, spatialDims);
        conv2 = SegResNet.Convolution(channels, channels, 3, 1, bias: false, spatialDims);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = conv1.call(act.call(norm1.call(x)));
        y = conv2.call(act.call(norm2.call(y)));
        return y.add_(x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        var y = graph.Apply(conv1, graph.Apply(act, graph.Apply(norm1, input)));
        y = graph.Apply(conv2, graph.Apply(act, graph.Apply(norm2, y)));
        return graph.Add(y, input);
    }
}
