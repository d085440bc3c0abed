using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Volumetric;

/// <summary>
/// pytorch-3dunet's <c>ResNetBlock</c>: a 1×1 convolution to the output width when it differs (<c>conv1</c>), two
/// <c>SingleConv</c>s (<c>conv2</c>, then <c>conv3</c> without its activation), the residual sum, and the activation.
/// </summary>
public sealed class ResNetBlock : Module<Tensor, Tensor>, IOnnxModule
{
    private readonly Module<Tensor, Tensor>? conv1;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor> conv3;
    private readonly Module<Tensor, Tensor> non_linearity;

    public ResNetBlock(long inChannels, long outChannels, string order, int numGroups, int spatialDims) : base(nameof(ResNetBlock))
    {
        if (inChannels != outChannels)
        {
            conv1 = new Conv(inChannels, outChannels, 1, spatialDims: spatialDims);
        }
        conv2 = LayerOrder.SingleConv(outChannels, outChannels, order, numGroups, spatialDims);
        conv3 = LayerOrder.SingleConv(outChannels, outChannels, new string([.. order.Where(c => !"rle".Contains(c))]), numGroups, spatialDims);
        non_linearity = LayerOrder.Activation(order);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var residual = conv1 is null ? x : conv1.call(x);
        var y = conv3.call(conv2.call(residual));
        return non_linearity.call(y.add_(residual)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input)
    {
        var residual = conv1 is null ? input : graph.Apply(conv1, input);
        var y = graph.Apply(conv3, graph.Apply(conv2, residual));
        return graph.Apply(non_linearity, graph.Add(y, residual));
    }
}
